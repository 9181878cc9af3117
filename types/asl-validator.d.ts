// asl-validator ships no type declarations; this is the part scripts/validate-asl.ts uses.
declare module 'asl-validator' {
  interface ValidationError {
    'Error code': string;
    Message: string;
  }
  export default function validator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): { isValid: boolean; errors: ValidationError[] };
}

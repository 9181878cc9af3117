/** Where the emulated resources live: the account and region in every ARN. */
export interface AwsLocation {
  accountId: string;
  region: string;
}

/** The sandbox's default account and region (LocalStack's convention for the account). */
export const defaultLocation: AwsLocation = { accountId: '000000000000', region: 'us-east-1' };

/** An image's OCI manifest annotations (empty when it has none or is not an OCI manifest). */
export interface ImageAnnotations {
  read(image: { repository: string; digest: string }): Promise<Record<string, string>>;
}

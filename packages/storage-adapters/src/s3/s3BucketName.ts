import { StorageConfigurationError } from "../errors.js";

/**
 * Checks a bucket name against AWS's rules for general-purpose buckets: 3-63 characters of
 * lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no
 * two dots in a row, not an IP address, and none of the prefixes and suffixes AWS reserves.
 * Only for AWS itself: S3-compatible servers (radosgw, MinIO) accept names AWS would not.
 */
export function checkS3BucketName(bucket: string, uri: string): void {
  const problem = bucketNameProblem(bucket);
  if (problem !== undefined) {
    throw new StorageConfigurationError(
      uri,
      `S3 bucket name ${JSON.stringify(bucket)} is not valid on AWS: ${problem}`,
    );
  }
}

function bucketNameProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return "it must be 3-63 characters long";
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket)) {
    return "use lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";
  }
  if (bucket.includes("..")) return "two dots may not follow each other";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) return "it may not look like an IP address";
  const prefix = ["xn--", "sthree-", "amzn-s3-demo-"].find((p) => bucket.startsWith(p));
  if (prefix !== undefined) return `the prefix ${prefix} is reserved`;
  const suffix = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].find((x) =>
    bucket.endsWith(x),
  );
  if (suffix !== undefined) return `the suffix ${suffix} is reserved`;
  return undefined;
}

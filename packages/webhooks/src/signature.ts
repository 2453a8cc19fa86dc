/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, spec v1): every delivery carries
 * `webhook-id` (the message id, the same on every retry and replay so a receiver can de-duplicate),
 * `webhook-timestamp` (integer Unix seconds of this attempt) and `webhook-signature`: space-separated
 * `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, one per secret in use, so a receiver holding
 * either the old or the new secret during a rotation accepts the message. A secret is serialized as
 * `whsec_<base64 of the key bytes>` (24 to 64 bytes; 32 here).
 */

const encoder = new TextEncoder();

/** Key bytes of a new secret (the spec allows 24 to 64). */
export const SECRET_BYTES = 32;
export const SECRET_PREFIX = "whsec_";

/** RFC 4648 §4 base64, padded, as the spec's signatures and secrets are written. */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A new endpoint secret, `whsec_` and 32 random bytes in base64.
 *
 * @example
 * newWebhookSecret(); // "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
 */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + base64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/** The HMAC key of a `whsec_` secret. Throws on anything else. */
export function secretKeyBytes(secret: string): Uint8Array {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error("A webhook secret starts with whsec_");
  return fromBase64(secret.slice(SECRET_PREFIX.length));
}

/**
 * One `v1,<base64>` signature of a message.
 *
 * @example
 * await signMessage("whsec_…", "0193…", 1765000000, '{"type":"export.ready",…}'); // "v1,K5oZ…="
 */
export async function signMessage(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", secretKeyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${id}.${timestamp}.${body}`));
  return `v1,${base64(new Uint8Array(mac))}`;
}

/**
 * The three Standard Webhooks headers of one attempt, signed with every secret given (the current one
 * first; during a rotation the previous one too).
 */
export async function webhookHeaders(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): Promise<Record<string, string>> {
  const signatures = await Promise.all(secrets.map((s) => signMessage(s, id, timestamp, body)));
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatures.join(" "),
  };
}

/**
 * The AAD an endpoint's secret is sealed with (master key, `@dfda/auth` `seal`): binds the sealed
 * secret to its endpoint, so it cannot be copied to another endpoint's row and still open.
 */
export function webhookSecretAad(endpointId: string): string {
  return `webhook-secret:${endpointId}`;
}

/**
 * The operator step that subscribes the deployment to Oura's webhooks (docs/connectors.md, "Oura"):
 * Oura's subscriptions belong to the application, not to a person, so no sign-in creates them. Run once
 * after deploying and then regularly (a weekly job; subscriptions expire and this renews them):
 *
 *   OURA_CLIENT_ID=… OURA_CLIENT_SECRET=… npx tsx scripts/oura-webhooks.ts --api-origin https://api.example.org
 *
 * It lists the application's subscriptions, creates the missing ones for
 * `<api origin>/v1/connectors/oura/webhook` (Oura then calls that URL's verification GET, which the API
 * answers: it must be deployed with `CONNECTOR_WEBHOOK_SECRETS` `{"oura":"<the same client secret>"}`),
 * renews those expiring within 14 days, and prints what it did as JSON. `--oura-api` names another
 * Oura host (a fake in tests). Exit codes: 0 done, 1 Oura refused or failed, 2 usage.
 */
import { ensureOuraSubscriptions, OURA, VendorError, type VendorHttp, webhookToken } from "@dfda/connectors";

export interface OuraWebhooksIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** The script as a function (arguments, environment, HTTP and output in; exit code out) for tests. */
export async function ouraWebhooks(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  http: VendorHttp,
  io: OuraWebhooksIo,
  now: Date = new Date(),
): Promise<number> {
  const option = (name: string) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const origin = option("--api-origin");
  const clientId = env.OURA_CLIENT_ID;
  const clientSecret = env.OURA_CLIENT_SECRET;
  if (
    origin === undefined ||
    !/^https?:\/\/[^/]+/.test(origin) ||
    clientId === undefined ||
    clientSecret === undefined
  ) {
    io.err(
      "Usage: OURA_CLIENT_ID=… OURA_CLIENT_SECRET=… oura-webhooks --api-origin <https://api…> [--oura-api <url>]\n",
    );
    return 2;
  }
  try {
    const report = await ensureOuraSubscriptions(http, {
      apiBase: option("--oura-api") ?? OURA.base_urls.api,
      clientId,
      clientSecret,
      callbackUrl: new URL("/v1/connectors/oura/webhook", origin).toString(),
      // Oura signs events with the client secret, so that is the API's webhook secret for `oura`.
      verificationToken: await webhookToken(clientSecret, "oura"),
      now,
    });
    io.out(`${JSON.stringify(report)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof VendorError)) throw error;
    io.err(`oura-webhooks: ${error.message}\n`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await ouraWebhooks(process.argv.slice(2), process.env, (request) => fetch(request), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
}

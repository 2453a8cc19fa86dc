/**
 * @dfda/webhooks: what the API (subscriptions) and the webhooks Worker (delivery) share: Standard
 * Webhooks signing, the endpoint URL rules (SSRF guard), the queue message and the retry constants.
 * docs/webhooks.md describes the whole feature.
 */
export * from "./messages";
export * from "./signature";
export * from "./url";

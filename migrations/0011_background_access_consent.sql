-- Issue 12: background access (an app's servers reading or writing through client credentials, RFC 6749
-- §4.4) is now a separate, dated choice on the consent screen. Before, every approval made undated
-- consent grants naming the client (via = 'oauth'), which the person never chose and the screen never
-- mentioned. Revoke those, with one `consent.revoke` audit entry each (the audit_log_chain trigger of
-- migration 0006 chains them as it chains every entry). Dated ones (made since), grants made with
-- POST /v1/consents (via = 'api') and every other grantee are kept. Running it again changes nothing.
WITH revoked AS (
  UPDATE "consents" SET "revoked_at" = now()
  WHERE "via" = 'oauth' AND "grantee_type" = 'client' AND "expires_at" IS NULL AND "revoked_at" IS NULL
  RETURNING *
)
INSERT INTO "audit_log" ("tenant_id", "action", "outcome", "actor_user_id", "actor_client_id", "subject_user_id",
  "resource_type", "resource_id", "details")
SELECT "tenant_id", 'consent.revoke', 'success', NULL, "grantee_id", "user_id", 'consent', "id"::text,
  jsonb_build_object(
    'grantee_type', "grantee_type",
    'grantee_id', "grantee_id",
    'actions', to_jsonb("actions"),
    'categories', to_jsonb("categories"),
    'variable_ids', to_jsonb("variable_ids"),
    'data_from', "data_from",
    'data_to', "data_to",
    'expires_at', "expires_at",
    'document_hash', "document_hash",
    'via', "via",
    'reason', 'background_access_not_approved'
  )
FROM revoked
ORDER BY "tenant_id", "id";

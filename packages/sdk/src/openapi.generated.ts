/**
 * Generated from openapi/openapi.json by openapi-typescript (packages/sdk/scripts/generate-types.ts).
 * Do not edit: run `npm run openapi`.
 */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness and database check
         * @description 200 when the Worker runs and the database answers a query; 503 problem+json otherwise.
         */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/problems/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Describe a problem type
         * @description Each problem+json `type` URI points here; this documents what the error means and how to react.
         */
        get: operations["getProblemType"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/variables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List and search variables
         * @description The current version of each variable visible to the caller, ordered by name. Filter by category, by a coding (`system` and/or `code`, e.g. LOINC `8867-4`), or by text (`q` matches names, synonyms and codes).
         */
        get: operations["listVariables"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/variables/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a variable, optionally as it was defined at a version or an instant
         * @description Without parameters: the current definition. `version` selects one definition version; `at` selects the version that was in force at that instant (RFC 3339). The response lists every version's validity period.
         */
        get: operations["getVariable"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/variable-categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List variable categories
         * @description Categories in display order, each with the number of current variables in it.
         */
        get: operations["listVariableCategories"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/units": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List and search units of measure
         * @description UCUM units (https://ucum.org) the platform understands: every unit UCUM defines plus the units of FHIR's `ucum-common` value set. `q` matches codes, names and synonyms; an exact code ranks first, then code prefixes, then common units.
         */
        get: operations["listUnits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ingest/observations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a batch of observations
         * @description Accepts up to 20,000 observations in the canonical shape. Shape errors are answered at once (400, each bad item's index and field). A well-formed batch is answered 202 with a job once it is durably queued; validation, unit conversion and storage happen asynchronously: follow `status_url`. Send an `Idempotency-Key` header to make retries safe: the same key and body return the same job, the same key with another body is a 409. A key belongs to its writer (the client and the user acting through it) for that record: another writer's use of the same key is a different job. Writing to another person's record (`user_id`) needs their consent grant with the write action (a delegate, or an app acting for itself with a client-credentials token); every row must lie inside the grant's categories or variables and data window, or the job is refused whole.
         */
        post: operations["ingestObservations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ingest/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow an ingestion job
         * @description Status, counts and progress of a job, with its issues (item index, code, message) paged by `cursor`. Only the person whose record it is, or the client that created it, can read it.
         */
        get: operations["getIngestJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ingest/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a raw file (FHIR, HL7 v2, C-CDA, CSV, Open mHealth, Apple Health, vendor JSON …)
         * @description Send the file as `multipart/form-data` (a `file` part, and optionally a `mapping` part: a JSON object of column header → `{variable_id, unit}` for tabular files) or as the raw request body (name it with `?name=`). The body is streamed: it is hashed, encrypted with a per-file key and written to storage as it arrives, never held whole. The format is detected from the content, the name and the declared type. The answer is 202 with the file and its mapping job; the same bytes uploaded again return the existing file (200). A format no mapper knows is kept, and its job ends `unsupported_format`.
         */
        post: operations["uploadFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a resumable upload (tus 1.0 creation)
         * @description For files that take long to send: declare the size (`Upload-Length`) and, optionally, `Upload-Metadata` (`filename`, `filetype`: the declared content type, which also hints the format, as for a single upload; `mapping`: a CSV column mapping as JSON), then PATCH the bytes to the `Location` in as many requests as it takes, resuming after a drop from the offset HEAD reports (tus 1.0.0 core, creation, termination and expiration: https://tus.io/protocols/resumable-upload). The completed file is encrypted, de-duplicated and mapped exactly as `POST /v1/ingest/files` does. Unfinished uploads expire 24 hours after their last PATCH (`Upload-Expires`). `OPTIONS /v1/uploads` answers `Tus-Version`, `Tus-Extension` and `Tus-Max-Size`.
         */
        post: operations["createUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/uploads/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A resumable upload's offset (tus HEAD) and state
         * @description `HEAD` is the tus request a client resumes with: `Upload-Offset` is how many bytes the server holds, so the next PATCH starts there. `GET` answers the same headers with the upload as JSON, including the file and mapping job it became once complete. An upload terminated or expired answers 410; another person's, 404.
         */
        get: operations["getUpload"];
        put?: never;
        post?: never;
        /**
         * Terminate an unfinished resumable upload (tus termination)
         * @description Deletes the bytes received so far (the R2 parts and the checkpoint); the upload then answers 410. A completed upload is a file: delete it with `DELETE /v1/files/{id}` (409 here).
         */
        delete: operations["terminateUpload"];
        options?: never;
        head?: never;
        /**
         * Send the next bytes of a resumable upload (tus PATCH)
         * @description The body (`Content-Type: application/offset+octet-stream`) continues the file at `Upload-Offset`, which must equal the bytes the server holds (else 409 `upload_offset_mismatch`). Every byte received is kept, even when the connection drops mid-body: HEAD then reports where to resume. The answer (204) carries the new `Upload-Offset`; when it reaches `Upload-Length` the file is stored, de-duplicated and queued for mapping as a single upload is (GET the upload for its `file_id` and `job_id`). Another request still writing the same upload answers 423 `upload_locked` (retry after `Retry-After`).
         */
        patch: operations["appendUpload"];
        trace?: never;
    };
    "/v1/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your uploaded files
         * @description The raw files you uploaded, newest first, with their format and mapping status.
         */
        get: operations["listFiles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/files/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One of your files
         * @description The file's metadata: name, detected format, size, SHA-256, key version and mapping status.
         */
        get: operations["getFile"];
        put?: never;
        post?: never;
        /**
         * Delete a file and the observations mapped from it
         * @description Removes the file's record and every observation mapped from it in one transaction, then the encrypted object from storage. Needs the person themselves: a first-party app with sign-in in the last `REAUTH_MAX_AGE_SECONDS` (5 minutes unless the operator set another value), with the second factor when one is enrolled. Otherwise 403 `first_party_only` (a third-party app, whatever its scopes) or 401 `reauthentication_required` with an RFC 9470 `WWW-Authenticate` challenge carrying `max_age`: sign in again through `/oauth/authorize?max_age=…` and retry.
         */
        delete: operations["deleteFile"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/files/{id}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download the original file
         * @description The original bytes, decrypted as they stream (owner only). Content-Length is the original size, so a download cut short by a failed integrity check is visibly incomplete.
         */
        get: operations["getFileContent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/files/{id}/reprocess": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Map a file again with today's mappers
         * @description Detects the format again and maps the file with the current mappers. When the new job completes, the observations of earlier runs are replaced by the new ones in one transaction: never both, never neither.
         */
        post: operations["reprocessFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/files/{id}/columns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How a CSV/TSV file's columns are matched to variables
         * @description For a tabular file: its header row, what matching does with each column, and the mapping you saved for this header row, if any. Confirm or correct it with PUT; it is then reused for files with the same columns.
         */
        get: operations["getFileColumns"];
        /**
         * Confirm how a CSV/TSV file's columns map to variables, and map it again
         * @description Saves the mapping for the file's header row (reused for every later file with the same columns) and reprocesses the file with it: its earlier observations are replaced.
         */
        put: operations["putFileColumns"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/code-mappings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's local code mappings */
        get: operations["listCodeMappings"];
        /**
         * Map a local code to a variable
         * @description Observations and files that name `{system, code}` then resolve to the variable (for this tenant only). Codes the platform already maps (LOINC, SNOMED CT …) cannot be remapped: 409. When the re-map of the pending values cannot be queued, the mapping is still saved, the unqueued re-map jobs fail (`enqueue_failed`) and the answer is a 503 with `Retry-After`: the same PUT again queues what is still pending.
         */
        put: operations["putCodeMapping"];
        post?: never;
        /** Remove a local code mapping */
        delete: operations["deleteCodeMapping"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/unmapped-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Local codes no mapping resolves yet
         * @description Values named only by a local code are held as pending rather than rejected. This lists those codes with counts, examples and units, ordered by system and code, `limit` per page (`cursor` for the next). Map one with `PUT /v1/admin/code-mappings` and its held values are stored.
         */
        get: operations["listUnmappedCodes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a group that consent grants can name */
        post: operations["createGroup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/groups/{id}/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Add a person to a group */
        put: operations["addGroupMember"];
        post?: never;
        /** Remove a person from a group */
        delete: operations["removeGroupMember"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verify the tenant's audit log
         * @description Recomputes the tenant's audit hash chain (each entry's hash covers the previous hash and the entry's canonical form) from the first entry to the head, in pages, and checks every signed checkpoint (JWS, ES256). Where retention archived the oldest entries, it starts from the archive's signed checkpoint (`archived_through`). Answers 200 either way: `valid` says whether the log is intact, `first_broken` names the first broken link.
         */
        get: operations["verifyAuditChain"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/audit/checkpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's signed audit checkpoints
         * @description Newest first; a weekly job signs one for every tenant whose audit log grew.
         */
        get: operations["listAuditCheckpoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/retention": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's retention periods
         * @description Every period is null (keep for ever) until an administrator sets it.
         */
        get: operations["getRetention"];
        /**
         * Set the tenant's retention periods
         * @description Replaces all four periods (null keeps that kind for ever). The exporter Worker's hourly sweep applies them, a bounded amount per run, so a shortened period takes effect over the following runs. A shortened period deletes the tenant's data of that kind in bulk, so this is for the administrator in person. Needs the person themselves: a first-party app with sign-in in the last `REAUTH_MAX_AGE_SECONDS` (5 minutes unless the operator set another value), with the second factor when one is enrolled. Otherwise 403 `first_party_only` (a third-party app, whatever its scopes) or 401 `reauthentication_required` with an RFC 9470 `WWW-Authenticate` challenge carrying `max_age`: sign in again through `/oauth/authorize?max_age=…` and retry.
         */
        put: operations["putRetention"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An overview of your data
         * @description Per variable: how many observations, the first and last time, min, max and mean (canonical unit) and the sources; per source: how many and when.
         */
        get: operations["getMyStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/apps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Apps you have connected
         * @description The OAuth clients holding a grant from you: their scopes, when you granted them, their last use, and any background access (what their servers may do without you signed in) with its expiry.
         */
        get: operations["listMyApps"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/apps/{client_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Disconnect an app
         * @description Revokes the app's grant and, at once, every token it holds for you and any background access its servers held (the consent grants naming it).
         */
        delete: operations["revokeMyApp"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/access-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who accessed your data
         * @description Every access to your data by someone other than you (a person you granted access, an app, a researcher), allowed or denied, newest first.
         */
        get: operations["getMyAccessLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/observations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete your observations by filter
         * @description Deletes every observation of yours that matches all the given filters (variable, `from` inclusive, `to` exclusive, source slug), in one transaction; summaries change with them. At least one filter is required: to delete everything, close the account with `DELETE /v1/me`. Needs the person themselves: a first-party app with sign-in in the last `REAUTH_MAX_AGE_SECONDS` (5 minutes unless the operator set another value), with the second factor when one is enrolled. Otherwise 403 `first_party_only` (a third-party app, whatever its scopes) or 401 `reauthentication_required` with an RFC 9470 `WWW-Authenticate` challenge carrying `max_age`: sign in again through `/oauth/authorize?max_age=…` and retry.
         */
        delete: operations["deleteMyObservations"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete your account and all your data
         * @description Erases everything that is yours, at once and for good: observations, files (your keys are destroyed, so no copy of them can ever be decrypted; the encrypted objects are deleted too), exports, jobs, tokens, sessions, app grants, consents you gave or hold, connections, and the account itself. The audit log, which holds no health data, keeps its entries and records a tombstone. Send `confirm=delete-everything`. Needs the person themselves: a first-party app with sign-in in the last `REAUTH_MAX_AGE_SECONDS` (5 minutes unless the operator set another value), with the second factor when one is enrolled. Otherwise 403 `first_party_only` (a third-party app, whatever its scopes) or 401 `reauthentication_required` with an RFC 9470 `WWW-Authenticate` challenge carrying `max_age`: sign in again through `/oauth/authorize?max_age=…` and retry.
         */
        delete: operations["deleteMe"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your exports
         * @description The exports you asked for, newest first, with their status and progress; completed ones still within their time carry a signed `download_url`.
         */
        get: operations["listMyExports"];
        put?: never;
        /**
         * Export your data
         * @description Starts an export of your observations (optionally filtered by variables, categories, a time window on start_at and sources) as JSON, CSV or FHIR R4 NDJSON, optionally with your original files. The export is built in the background and streamed, encrypted, into storage; follow it at `status_url`, whose `download_url` (a signed link, valid 24 hours) appears when it is completed. At most three exports may be queued or running at once. A custodian exports a dependent's data with `user_id`. Values held as pending (named by a local code no mapping resolves yet) are exported too, after the observations, as received and never converted: in JSON the `pending` array (`status: "pending"`, the local `code`), in CSV records with `status` `pending` and the coding in `code_system`, `code`, `code_display`, in FHIR NDJSON Observations with status `preliminary` coded by the local coding. Filters by variables or categories name no pending value; time and source filters apply to them.
         */
        post: operations["createMyExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/exports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow an export
         * @description Status and progress (`rows_written` of `total_rows`, `files_written`) of an export. Once completed, `download_url` is a signed link that works without a bearer token until `expires_at`; each call signs it afresh, with the same expiry.
         */
        get: operations["getMyExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/exports/{id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download an export
         * @description The export's file, decrypted as it streams: the `download_url` of a completed export. Needs no bearer token: the signed `token` grants this one download until `expires_at`, to the user it was signed for (the owner, or a custodian acting for them) while they may still act for the owner. A link that is not genuine, belongs to another export, or whose holder's custodian link has ended answers 403; an expired one, 410. Content-Length is the full size, so a download cut short by a failed integrity check is visibly incomplete.
         */
        get: operations["downloadMyExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/observations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List your observations
         * @description The signed-in person's observations, newest first, paged by `cursor`. Filter by variable (id or `system|code`), by a time window on `start_at` (`from` inclusive, `to` exclusive) and by source slug. Values are in the variable's canonical unit; `original` keeps what was sent. Flagged (invalid) values and outliers are listed with their `flags`. A token with only category scopes (`observations.vital_signs:read`) sees only those categories. With `user_id`, another person's record through their consent grant: only the granted categories or variables, from the granted data window.
         */
        get: operations["listObservations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/observations/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Summarize one variable per hour, day, week or month
         * @description Per time bucket of the window (`from` inclusive, `to` exclusive): count, min, max, mean and sum of the numeric values, and `value`, the values combined as the variable's `combination_operation` says (steps add up, heart rate averages, weight takes the bucket's last reading). Buckets start at local midnight (local Monday for weeks, the local first of the month) in `tz`; buckets without observations are omitted. Values flagged invalid are left out unless `include_invalid=true`; outliers are real measurements and count. A censored value (`comparator` set, e.g. `<5`) is counted in `count` but adds nothing to `min`, `max`, `mean`, `sum` or `value`: its bound is not its value. A window may span at most 10,000 buckets. With `user_id`, another person's record through their consent grant: only from the granted data window.
         */
        get: operations["summarizeObservations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List consent grants: those you gave, or those you hold
         * @description Without `as`: the grants the owner gave (a custodian names the dependent with `user_id`), newest first, with their status (`active`, `expired`, `revoked`); `status=active` keeps the live ones. With `as=grantee`: the live grants naming the caller, a group of theirs, or (a client-credentials token) the app: `owner_id` is whose data each opens.
         */
        get: operations["listConsents"];
        put?: never;
        /**
         * Share data: grant consent
         * @description Grants a user (a clinician delegate), an OAuth client (an app acting for itself), a group, a research study, or an analysis plugin enabled in the organisation (read only: what it may analyse for you) the actions `read` and/or `write` on the named categories and/or variables, only for data whose start_at lies in `data_window`, until `expires_at`. Every later access by the grantee is decided against the live grants by the owner's Durable Object and written to the owner's access log. A study grant gives the owner a random per-study pseudonym: researchers never see who they are. The owner's custodian may grant for the dependent (`user_id`).
         */
        post: operations["createConsent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One consent grant you gave */
        get: operations["getConsent"];
        put?: never;
        post?: never;
        /**
         * Revoke a consent grant
         * @description Revokes the grant at once: from the next request on, the grantee's reads and writes through it are refused (and the refusals are in the owner's access log). Revoking a revoked grant changes nothing (204). A custodian revokes for the dependent with `user_id`.
         */
        delete: operations["revokeConsent"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/studies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a research study (administrators) */
        post: operations["createStudy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/studies/{id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a researcher to a study (administrators)
         * @description The user must hold the `researcher` role. Members query the study's data (`GET /v1/studies/{id}/observations`), only under pseudonyms and only what participants granted.
         */
        post: operations["addStudyMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/studies/{id}/observations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Query a study's consented data, pseudonymized (researchers)
         * @description For researchers who are members of the study: the observations of every participant whose study grant is live, only the granted categories or variables and only from the granted data window, ordered by pseudonym and time. Filter by `variable`, `category` and a window (`from` inclusive, `to` exclusive). Each participant's decision is recorded in their access log. No direct identifiers are returned.
         */
        get: operations["listStudyObservations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/custodian-links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Link a custodian to a dependent
         * @description Both must be active users of the organisation. The custodian receives the `data_custodian` role and acts as the owner for the dependent: reads (`user_id` on the observation routes), exports, deletion, consent grants. Linking again after an unlink revives the link.
         */
        post: operations["createCustodianLink"];
        /** Unlink a custodian from a dependent */
        delete: operations["deleteCustodianLink"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start setting up two-step verification (TOTP)
         * @description Creates a new TOTP secret (RFC 6238) for the signed-in user and returns it with an otpauth:// URI for an authenticator app. It takes effect only after `POST /v1/me/mfa/totp/confirm` with a code from the app. Needs the person themselves: a first-party app with sign-in in the last `REAUTH_MAX_AGE_SECONDS` (5 minutes unless the operator set another value), with the second factor when one is enrolled. Otherwise 403 `first_party_only` (a third-party app, whatever its scopes) or 401 `reauthentication_required` with an RFC 9470 `WWW-Authenticate` challenge carrying `max_age`: sign in again through `/oauth/authorize?max_age=…` and retry.
         */
        post: operations["startTotpEnrolment"];
        /**
         * Turn off two-step verification
         * @description Needs a current code, so a stolen access token alone cannot remove the second factor. Wrong codes count against the account's second-factor lock, shared with sign-in: five lock it for a minute, then twice as long each time (`too_many_attempts`, with `Retry-After`). Refused for administrators and in tenants that require two-step verification. Needs the person themselves: a first-party app with sign-in in the last `REAUTH_MAX_AGE_SECONDS` (5 minutes unless the operator set another value), with the second factor when one is enrolled. Otherwise 403 `first_party_only` (a third-party app, whatever its scopes) or 401 `reauthentication_required` with an RFC 9470 `WWW-Authenticate` challenge carrying `max_age`: sign in again through `/oauth/authorize?max_age=…` and retry.
         */
        delete: operations["disableTotp"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/totp/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Turn on two-step verification with a first code
         * @description Verifies a code from the new secret, turns two-step verification on and returns ten single-use recovery codes (shown once). Needs the person themselves: a first-party app with sign-in in the last `REAUTH_MAX_AGE_SECONDS` (5 minutes unless the operator set another value), with the second factor when one is enrolled. Otherwise 403 `first_party_only` (a third-party app, whatever its scopes) or 401 `reauthentication_required` with an RFC 9470 `WWW-Authenticate` challenge carrying `max_age`: sign in again through `/oauth/authorize?max_age=…` and retry.
         */
        post: operations["confirmTotpEnrolment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connectors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Vendors you can connect
         * @description The connectors this platform implements: each vendor's id, name, the kinds of data it brings in, how you link an account, and whether this server offers it. Connect one with `POST /v1/me/connections`.
         */
        get: operations["listConnectors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connectors/{id}/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where the vendor sends you back
         * @description The redirect URI registered at each vendor. With the vendor's `code` and the `state` of `POST /v1/me/connections`, it stores the connection and queues its first sync (a backfill). The state works once and expires after 10 minutes; a refusal at the vendor (`error`) is answered in plain words.
         */
        get: operations["connectorCallback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connectors/{id}/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A vendor's check of the notification URL
         * @description Answers a vendor's verification of the notification URL (also as HEAD): Oura's `verification_token` and `challenge` (200 with `{challenge}`), Fitbit's `verify` code (204), Withings' check of its callback URL's token (204). A value that does not match is a 404, as Fitbit asks; a connector that takes no notifications is a 404 too.
         */
        get: operations["connectorWebhookCheck"];
        put?: never;
        /**
         * A vendor's push notification
         * @description The notification URL registered at a vendor that pushes (Oura's webhooks: `x-oura-timestamp` and `x-oura-signature`, the HMAC-SHA256 of the timestamp and the raw body; Fitbit's `X-Fitbit-Signature`, base64 HMAC-SHA1 of the raw body; Withings' form-encoded notifications, unsigned, authenticated by the `token` in the registered callback URL). A notification with a valid signature queues a sync of the connection of the vendor user it names and is answered 204 at once, whether or not such a connection exists; a missing or wrong signature is a 401. Garmin's Push and Ping notifications (unsigned: the secret is the registered URL's `key` parameter, and the `garmin-client-id` header must name this deployment's client id) are answered 200, as Garmin requires: each named Garmin user's part is kept encrypted and queued for mapping, and a deregistration leaves the connection `needs_reauth`.
         */
        post: operations["connectorWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your connected vendor accounts
         * @description Each connection's status, when it last synced and will sync next, what went wrong last in plain words, and how many observations came through it. Tokens are never shown.
         */
        get: operations["listMyConnections"];
        put?: never;
        /**
         * Connect a vendor account
         * @description Starts linking your account at a vendor (see `GET /v1/connectors`): open `authorize_url`, approve at the vendor, and the vendor sends you back to `GET /v1/connectors/{id}/callback`, which stores the connection and starts its first sync. The link is yours alone and works once, for 10 minutes.
         */
        post: operations["createMyConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/connections/{id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sync a connection now
         * @description Queues a sync of the connection from where the last one ended. A connection that needs you to connect again (`needs_reauth`) cannot sync (409), nor can one whose sync is already queued (409).
         */
        post: operations["syncMyConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/connections/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Disconnect a vendor account
         * @description Deletes the connection and its tokens, and revokes them at the vendor. With `delete_data=true`, the observations that came through this connector are deleted as well (otherwise they stay). `delete_data=true` is a bulk delete, so it needs the person themselves: a first-party app with a recent sign-in (`first_party_only`, `reauthentication_required`; docs/identity.md).
         */
        delete: operations["deleteMyConnection"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/plugins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's registered plugins */
        get: operations["listAdminPlugins"];
        put?: never;
        /**
         * Register a plugin, or update a registered one
         * @description Calls the plugin's `describe()` over the service binding or the URL (signed as every call is), validates the manifest (docs/plugins.md) and stores it in this tenant. A new plugin starts enabled (201); a plugin id already registered is updated to what it answers now, its endpoint and version included, and keeps its enabled state (200).
         */
        post: operations["registerPlugin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/plugins/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One registered plugin, with its manifest */
        get: operations["getAdminPlugin"];
        put?: never;
        post?: never;
        /**
         * Remove a plugin from the tenant
         * @description Nothing calls it any more. Its stored analyses stay; registering it again brings it back.
         */
        delete: operations["deleteAdminPlugin"];
        options?: never;
        head?: never;
        /**
         * Enable or disable a plugin
         * @description A disabled plugin is not listed to people (GET /v1/plugins), cannot be granted data and is not run; its stored analyses and the grants to it stay.
         */
        patch: operations["updateAdminPlugin"];
        trace?: never;
    };
    "/v1/plugins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Plugins you can use
         * @description The plugins your organisation enabled: what each does, the categories of data it reads (grant them with `POST /v1/consents` and `grantee: {type: "plugin", id}`), and the JSON Schemas of its input and output.
         */
        get: operations["listPlugins"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/analyses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List your analyses
         * @description Your analyses, newest first, with their status and (once finished) result or problem.
         */
        get: operations["listAnalyses"];
        put?: never;
        /**
         * Run an analysis of your data
         * @description Queues an analysis by an `analysis` plugin enabled in your organisation. It runs in the background on exactly the data you granted the plugin (`POST /v1/consents` with `grantee: {type: "plugin", id}`): a plan naming data you did not grant fails the run with `consent_required`, and nothing is sent to the plugin. Follow it at the `Location`; the result is stored with the plugin version and the data window it saw.
         */
        post: operations["createAnalysis"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/analyses/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow an analysis
         * @description Status (`queued`, `running`, `succeeded`, `failed`), progress, and once finished the result (with the plugin version and the data window it saw) or the problem that ended the run.
         */
        get: operations["getAnalysis"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/visualizations/{kind}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Draw a chart of your data or of an analysis
         * @description An accessible SVG chart (title, description, axis labels) drawn by the charts plugin: a `timeline` of up to eight variables or a `heatmap` of one by hour of day and weekday (from your observations, or with `user_id` another person's that their consent grant lets you read), or a `scatter`, `delay-curve` or `outcome-label` of one of your succeeded analyses (`analysis`).
         */
        get: operations["getVisualization"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/openid-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Authorization server metadata (OpenID Connect Discovery 1.0)
         * @description Where the endpoints are and what they support. The same document is served at `/.well-known/openid-configuration` and `/.well-known/oauth-authorization-server`.
         */
        get: operations["getOpenIdConfiguration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/oauth-authorization-server": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Authorization server metadata (RFC 8414)
         * @description Where the endpoints are and what they support. The same document is served at `/.well-known/openid-configuration` and `/.well-known/oauth-authorization-server`.
         */
        get: operations["getAuthorizationServerMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Token signing keys (JWK Set, RFC 7517 §5)
         * @description The public keys that verify access and ID tokens (ES256), the current one and those still valid after a rotation. Cached for a minute.
         */
        get: operations["getJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/smart-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * SMART App Launch configuration (SMART App Launch 2.x §Conformance)
         * @description What a SMART on FHIR client reads before a standalone launch: the authorization server's endpoints, the SMART scopes it grants (aliases of the platform's scopes, docs/fhir.md) and its capabilities. The same document is served under the FHIR base, `/fhir/R4/.well-known/smart-configuration`.
         */
        get: operations["getSmartConfiguration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Authorization endpoint (RFC 6749 §4.1.1, PKCE RFC 7636)
         * @description Starts the authorization code flow in the browser: shows the sign-in page, the second-factor step or the consent page, and finally redirects to the client with `code`, `state` and `iss` (RFC 9207). Errors about the client or its redirect URI are shown on a page and never redirected (RFC 6749 §4.1.2.1); every other error is redirected to the client. PKCE with S256 is required.
         */
        get: operations["authorize"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with e-mail and password (the sign-in page's form)
         * @description Checks the password (failures are throttled per client address and account, with a higher ceiling per account: docs/identity.md), starts the browser session and continues the authorization request: to the second-factor step when one is due, else back to `/oauth/authorize`. An account whose e-mail address is not confirmed gets no session: a page offers the confirmation link again. The form carries a double-submit CSRF token (OWASP CSRF Prevention Cheat Sheet).
         */
        post: operations["signIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/mfa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The second-factor page (TOTP RFC 6238, or a recovery code)
         * @description Asked of a signed-in session whose second factor is due, before the authorization request continues.
         */
        get: operations["showSecondFactorPage"];
        put?: never;
        /**
         * Check the second factor (the second-factor page's form)
         * @description Checks a TOTP code (RFC 6238) or a single-use recovery code and completes the session's sign-in. Wrong codes are counted per account: five lock the second factor for a minute, then twice as long each time (capped at an hour), and the owner is e-mailed once per lock. The form carries the session's CSRF token (synchronizer token, OWASP CSRF Prevention Cheat Sheet).
         */
        post: operations["verifySecondFactor"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/mfa/enrol": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The page that sets up two-step verification (TOTP, RFC 6238)
         * @description Shown at sign-in when a second factor is required but none is set up (administrators, or a tenant that requires it): a new secret with its otpauth:// URI, to confirm with a first code.
         */
        get: operations["showSecondFactorEnrolmentPage"];
        put?: never;
        /**
         * Confirm two-step verification with a first code (the enrolment page's form)
         * @description A valid first code turns TOTP on, completes the session's sign-in and shows the recovery codes once; an invalid one starts the enrolment page again.
         */
        post: operations["confirmSecondFactorEnrolment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/consent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve or deny an application's access (the consent page's form)
         * @description Approval records the grant (and, only when `background=yes` was ticked, a dated consent naming the application for its servers: docs/consent.md), then redirects to the client with a code; denial redirects with `access_denied` (RFC 6749 §4.1.2.1). The form carries the session's CSRF token.
         */
        post: operations["decideConsent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/device": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Device verification page (RFC 8628 §3.3)
         * @description Without `user_code`: a form to enter the code a device shows. With it (the form's answer, or the device's `verification_uri_complete`): the sign-in page (and second factor) when the person is not signed in to the code's organisation, then a page naming the application and its scopes, with the code to compare, to allow or deny. Code lookups are rate-limited per client address (RFC 8628 §5.1).
         */
        get: operations["deviceVerification"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/device/decision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Allow or deny a device (the device approval page's form, RFC 8628 §3.3)
         * @description Approval records the grant (the application then lists in `GET /v1/me/apps` and can be disconnected) and lets the device's next poll of the token endpoint receive its tokens; denial answers the device `access_denied`. A code is decided once. The form carries the session's CSRF token and needs a finished second factor.
         */
        post: operations["decideDevice"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The sign-up page
         * @description Opened from an application's sign-in page; creates an account in that application's tenant.
         */
        get: operations["showSignUpPage"];
        put?: never;
        /**
         * Create an account (the sign-up page's form)
         * @description Creates a data owner with a password of at least 12 characters (NIST SP 800-63B §5.1.1.2), not yet confirmed, and queues the e-mail whose link confirms the address and continues the authorization request; no session, code or token exists before that. Every well-formed sign-up gets the same page, whether or not the address already has an account (that account's owner gets an e-mail saying so instead): no account enumeration (OWASP Authentication Cheat Sheet).
         */
        post: operations["signUp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/verify-email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The page an e-mail confirmation link opens
         * @description Asks for the account's password before the address is confirmed (`POST /oauth/verify-email`): opening the link uses nothing up, so a mail scanner that fetches it changes nothing, and only the person who chose the password and holds the mailbox can confirm. The link's token is single-use and lives two days; only its hash is stored.
         */
        get: operations["verifyEmail"];
        put?: never;
        /**
         * Confirm an e-mail address with the account's password (the confirmation page's form)
         * @description Checks the password (throttled as at sign-in), uses up the link's token, confirms the address and revokes every session, refresh token, code and access token issued before (pre-account-hijacking), then signs the person in and continues the authorization request they signed up from, through the second factor when one is due (an administrator, or a tenant's `mfa_required`). Without a usable authorization request, a page says to sign in. The form carries a double-submit CSRF token (OWASP CSRF Prevention Cheat Sheet).
         */
        post: operations["confirmEmail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/verify-email/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send the e-mail confirmation link again
         * @description Queues a new confirmation link when the address belongs to an account not yet confirmed, and answers the same page whether or not it does (no account enumeration, OWASP Authentication Cheat Sheet). Anyone may ask, so the link carries no authorization request to continue: after confirming, the person signs in. Throttled like sign-up.
         */
        post: operations["resendEmailConfirmation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/forgot-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The page that asks for a password-reset link
         * @description Opened from an application's sign-in page.
         */
        get: operations["showForgotPasswordPage"];
        put?: never;
        /**
         * Send a password-reset link (the forgot-password page's form)
         * @description Queues an e-mail with a single-use link valid for one hour when an active account uses the address. The answer is the same whether or not it does (OWASP Forgot Password Cheat Sheet).
         */
        post: operations["sendPasswordResetLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/reset-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The page that sets a new password (the link in the reset e-mail)
         * @description The token is checked when the form is sent, so opening the link does not use it up.
         */
        get: operations["showResetPasswordPage"];
        put?: never;
        /**
         * Set a new password (the reset page's form)
         * @description Uses up the e-mailed token, sets a password of at least 12 characters (NIST SP 800-63B §5.1.1.2) and unlocks the account.
         */
        post: operations["resetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End the browser session
         * @description Revokes the sign-in session and removes its cookie. Tokens already issued stay valid until they expire or are revoked (`/oauth/revoke`).
         */
        post: operations["signOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/device_authorization": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Device authorization endpoint (RFC 8628 §3.1)
         * @description Starts the device authorization grant for a device without a browser (`dfda login --device`): answers a device code for the device to poll the token endpoint with (grant type `urn:ietf:params:oauth:grant-type:device_code`) and a user code for the person to enter at `verification_uri` on another device. Clients authenticate as at the token endpoint (RFC 6749 §2.3); the client must be registered for the device code grant. Errors are RFC 6749 §5.2 JSON.
         */
        post: operations["deviceAuthorization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Token endpoint (RFC 6749 §3.2)
         * @description Grants `authorization_code` (with the PKCE verifier, RFC 7636 §4.5), `refresh_token` (rotated, with reuse detection revoking the family), `client_credentials` (confidential clients) and `urn:ietf:params:oauth:grant-type:device_code` (RFC 8628 §3.4: `authorization_pending`, `slow_down`, `access_denied`, `expired_token` until the person approves). Clients authenticate with HTTP Basic or in the body (RFC 6749 §2.3.1); public clients send only `client_id`. Errors are RFC 6749 §5.2 JSON.
         */
        post: operations["token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a token (RFC 7009)
         * @description A refresh token revokes its whole family; an access token is revoked by its `jti`. Only the client the token was issued to may revoke it. The answer is 200 even for an unknown token (RFC 7009 §2.2).
         */
        post: operations["revokeToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/introspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Introspect a token (RFC 7662)
         * @description Confidential clients ask whether an access or refresh token is active; only tokens of their own tenant are ever reported active.
         */
        post: operations["introspectToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/userinfo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Claims about the signed-in user (OpenID Connect Core §5.3)
         * @description For a user's access token with `openid`; claims are released per scope (OIDC Core §5.4). Errors are RFC 6750 §3 JSON with a `WWW-Authenticate: Bearer` challenge.
         */
        get: operations["getUserInfo"];
        put?: never;
        /**
         * Claims about the signed-in user (OpenID Connect Core §5.3)
         * @description For a user's access token with `openid`; claims are released per scope (OIDC Core §5.4). Errors are RFC 6750 §3 JSON with a `WWW-Authenticate: Bearer` challenge.
         */
        post: operations["postUserInfo"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register a client (RFC 7591)
         * @description App developers register clients with an access token carrying `clients:manage`, held by an `app_developer` or `admin` (the initial access token of RFC 7591 §3). A client gets `openid profile` unless it names scopes, and never an administrative or developer scope. Errors are RFC 7591 §3.2.2 JSON; token errors are RFC 6750 §3.
         */
        post: operations["registerClient"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Health: {
            /** @enum {string} */
            status: "ok";
            checks: {
                database: {
                    /** @enum {string} */
                    status: "ok";
                    latency_ms: number;
                    /** @description Migrations applied. */
                    migrations: number;
                };
            };
        };
        Problem: {
            /**
             * @description URI of the problem type; GET it for a description.
             * @example http://127.0.0.1:8787/problems/validation_failed
             */
            type: string;
            /** @example The request is not valid */
            title: string;
            /** @example 400 */
            status: number;
            /** @example Invalid query limit. */
            detail: string;
            /** @example /v1/variables */
            instance?: string;
            /**
             * @description Stable machine-readable error code.
             * @enum {string}
             */
            code: "validation_failed" | "invalid_cursor" | "malformed_body" | "unauthorized" | "reauthentication_required" | "forbidden" | "first_party_only" | "consent_required" | "not_found" | "route_not_found" | "method_not_allowed" | "not_acceptable" | "format_unsupported" | "conflict" | "gone" | "upload_offset_mismatch" | "tus_version_unsupported" | "upload_locked" | "payload_too_large" | "unsupported_media_type" | "rate_limited" | "too_many_attempts" | "invalid_manifest" | "binding_not_found" | "plugin_invalid_input" | "plugin_unreachable" | "plugin_failed" | "plugin_invalid_output" | "plugin_output_too_large" | "plugin_timeout" | "internal_error" | "service_unavailable";
            /** @example b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11 */
            request_id: string;
            /** @description Each bad field (validation errors only). */
            errors?: components["schemas"]["FieldError"][];
            /** @description The body limit that was passed (`payload_too_large` only). */
            limit_bytes?: number;
        };
        FieldError: {
            /** @example query */
            location: string;
            /** @example limit */
            path: string;
            /** @example /limit */
            pointer: string;
            /** @example Too big: expected number to be <=200 */
            message: string;
        };
        ProblemType: {
            /** @enum {string} */
            code: "validation_failed" | "invalid_cursor" | "malformed_body" | "unauthorized" | "reauthentication_required" | "forbidden" | "first_party_only" | "consent_required" | "not_found" | "route_not_found" | "method_not_allowed" | "not_acceptable" | "format_unsupported" | "conflict" | "gone" | "upload_offset_mismatch" | "tus_version_unsupported" | "upload_locked" | "payload_too_large" | "unsupported_media_type" | "rate_limited" | "too_many_attempts" | "invalid_manifest" | "binding_not_found" | "plugin_invalid_input" | "plugin_unreachable" | "plugin_failed" | "plugin_invalid_output" | "plugin_output_too_large" | "plugin_timeout" | "internal_error" | "service_unavailable";
            status: number;
            title: string;
            description: string;
        };
        Variable: {
            /** Format: uuid */
            id: string;
            /** @description Definition version; stored observations keep theirs. */
            version: number;
            /** @example heart-rate */
            slug: string;
            /** @example Heart rate */
            name: string;
            /** @example vital_signs */
            category: string;
            /** @enum {string} */
            value_type: "numeric" | "code" | "text" | "boolean";
            /**
             * @description Case-sensitive UCUM code values are stored in.
             * @example /min
             */
            canonical_unit: string | null;
            valid_min: number | null;
            valid_max: number | null;
            /** @enum {string} */
            range_severity: "log" | "flag" | "reject";
            /** @description g/mol, for mass ↔ molar conversion. */
            molecular_weight: number | null;
            is_input_factor: boolean;
            is_outcome: boolean;
            /**
             * @description How values combine over a time bucket.
             * @enum {string}
             */
            combination_operation: "sum" | "mean" | "last" | "max" | "min";
            synonyms: string[];
            description: string;
            codes: components["schemas"]["Coding"][];
            /** Format: date-time */
            valid_from: string;
            /** Format: date-time */
            valid_to: string | null;
            /**
             * @description Platform reference data, or your tenant's own.
             * @enum {string}
             */
            scope: "platform" | "tenant";
        };
        Coding: {
            /** @example http://loinc.org */
            system: string;
            /** @example 8867-4 */
            code: string;
            /** @example Heart rate */
            display: string | null;
            preferred: boolean;
        };
        VariableWithVersions: components["schemas"]["Variable"] & {
            versions: {
                version: number;
                /** Format: date-time */
                valid_from: string;
                /** Format: date-time */
                valid_to: string | null;
            }[];
        };
        VariableCategory: {
            /** Format: uuid */
            id: string;
            /** @example vital_signs */
            slug: ("vital_signs" | "laboratory" | "physical_activity" | "sleep" | "body_composition" | "nutrition" | "symptoms" | "mood" | "treatments" | "supplements" | "conditions" | "environment" | "cardiovascular" | "respiratory" | "reproductive_health" | "cognitive" | "activities" | "immunizations") | string;
            /** @example Vital signs */
            name: string;
            description: string;
            variable_count: number;
        };
        Unit: {
            /** @enum {string} */
            system: "http://unitsofmeasure.org";
            /**
             * @description Case-sensitive UCUM code.
             * @example mmol/L
             */
            code: string;
            /** @example millimole per liter */
            name: string;
            /** @example substance concentration */
            property: string | null;
            /** @example mol1.L-3 */
            dimension: string | null;
            /** @description In FHIR's ucum-common value set of units in common use. */
            common: boolean;
            /** @description A UCUM base unit. */
            base: boolean;
            synonyms: string[];
        };
        JobAccepted: {
            /** Format: uuid */
            job_id: string;
            /** @example http://127.0.0.1:8787/v1/ingest/jobs/0193… */
            status_url: string;
            /** @example queued */
            status: string;
            received: number;
        };
        IngestJob: {
            /** Format: uuid */
            id: string;
            kind: string;
            /** @enum {string} */
            status: "queued" | "processing" | "completed" | "completed_with_issues" | "failed" | "unsupported_format";
            counts: {
                received: number;
                stored: number;
                /** @description Stored with is_valid = false (outside the valid range). */
                flagged: number;
                /** @description Stored with is_outlier = true. */
                outliers: number;
                /** @description Skipped: already stored or repeated in the batch. */
                duplicates: number;
                rejected: number;
                /** @description Held, not rejected: values named by a local code no mapping resolves yet (GET /v1/admin/unmapped-codes); stored when an administrator maps the code. */
                pending: number;
            };
            progress: {
                processed: number;
                total: number;
            };
            error: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** Format: date-time */
            completed_at: string | null;
            issues: {
                /** @description The item's position in the batch. */
                index: number | null;
                location: string | null;
                code: string;
                /** @enum {string} */
                severity: "info" | "warning" | "error";
                message: string;
            }[];
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            issues_next_cursor: string | null;
        };
        FileAccepted: {
            /** Format: uuid */
            file_id: string;
            /**
             * Format: uuid
             * @description The mapping job (null for a file uploaded before).
             */
            job_id: string | null;
            status_url: string | null;
            /** @description True when the same bytes were uploaded before: that file is returned. */
            existing: boolean;
            file: components["schemas"]["File"];
        };
        File: {
            /** Format: uuid */
            id: string;
            /** @description The name it was uploaded with. */
            name: string | null;
            content_type: string | null;
            /** @description The detected format (a mapper id such as `fhir-r4`), or `unknown`. */
            format: string;
            size_bytes: number;
            /** @description Hex SHA-256 of the original bytes. */
            sha256: string;
            /** @enum {string} */
            status: "stored" | "processing" | "mapped" | "unsupported_format" | "failed";
            /** @description The mapper of the latest mapping run. */
            mapper: {
                id: string;
                version: string;
            } | null;
            key_version: number;
            error: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            content_url: string;
        };
        /**
         * @example {
         *       "id": "01939a4e-7c1a-7b3e-9f00-5a1d2c3b4e5f",
         *       "status": "open",
         *       "offset": 10485760,
         *       "length": 104857600,
         *       "file_name": "export.xml",
         *       "content_type": "application/xml",
         *       "created_at": "2026-12-06T15:00:00.000Z",
         *       "expires_at": "2026-12-07T15:04:10.000Z",
         *       "file_id": null,
         *       "job_id": null,
         *       "file_url": null,
         *       "status_url": null
         *     }
         */
        Upload: {
            /** Format: uuid */
            id: string;
            /**
             * @description `open` until its last byte arrives (then `completed`), or terminated (`aborted`) or `expired`.
             * @enum {string}
             */
            status: "open" | "completed" | "aborted" | "expired";
            /** @description Bytes received and stored (tus Upload-Offset). */
            offset: number;
            /** @description The declared size (tus Upload-Length). */
            length: number;
            file_name: string | null;
            content_type: string | null;
            /** Format: date-time */
            created_at: string;
            /**
             * Format: date-time
             * @description When an unfinished upload is deleted.
             */
            expires_at: string | null;
            /**
             * Format: uuid
             * @description The file it became (an earlier one for the same bytes).
             */
            file_id: string | null;
            /**
             * Format: uuid
             * @description The mapping job (null before completion, or for the same bytes again).
             */
            job_id: string | null;
            file_url: string | null;
            status_url: string | null;
        };
        FileList: {
            data: components["schemas"]["File"][];
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        FileReprocessing: {
            /** Format: uuid */
            file_id: string;
            /** Format: uuid */
            job_id: string;
            status_url: string;
        };
        FileColumns: {
            /** @description Identifies the header row; a saved mapping applies to every file with it. */
            signature: string;
            headers: string[];
            columns: {
                header: string;
                /** @description time, end_time, variable, value, unit, measurement, unit_of, metadata, unmatched … */
                role: string;
                variable: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    canonical_unit: string | null;
                } | null;
                unit: string | null;
                explicit: boolean;
            }[];
            saved_mapping: components["schemas"]["ColumnMapping"];
        };
        /** @description Column header → what its values are. */
        ColumnMapping: {
            [key: string]: {
                /**
                 * Format: uuid
                 * @description The variable the column holds; null ignores it.
                 */
                variable_id: string | null;
                /** @description UCUM unit of the values. */
                unit?: string;
            };
        } | null;
        FileColumnsConfirmed: {
            /** Format: uuid */
            file_id: string;
            signature: string;
            /** Format: uuid */
            job_id: string;
            status_url: string;
        };
        CodeMapping: {
            /** @example urn:oid:1.2.3.4.5.lab */
            system: string;
            /** @example 20005 */
            code: string;
            /** Format: uuid */
            variable_id: string;
            display: string | null;
        };
        UnmappedCode: {
            /**
             * @description The local coding system: `urn:dfda:local:<format>:<sender>` where the file named none (HL7 v2: MSH-3^MSH-4), else the file's own (`urn:oid:…`, a FHIR `Coding.system`).
             * @example urn:dfda:local:hl7v2:acme-lab%5Ehosp
             */
            system: string;
            /** @example ABC */
            code: string;
            /** @example Some Test */
            display: string | null;
            /**
             * @description Values held under this code.
             * @example 42
             */
            count: number;
            /**
             * @description People whose values these are.
             * @example 3
             */
            people: number;
            /**
             * @description Up to three of the latest values, as received.
             * @example [
             *       {
             *         "value": 5.4,
             *         "unit": "mmol/L"
             *       }
             *     ]
             */
            examples: {
                value: number | string | boolean | null;
                unit: string | null;
            }[];
            /**
             * @description Every unit the values came with.
             * @example [
             *       "mmol/L"
             *     ]
             */
            units: string[];
            /**
             * Format: date-time
             * @example 2026-11-02T08:15:00Z
             */
            first_seen: string;
            /**
             * Format: date-time
             * @example 2026-12-06T09:40:00Z
             */
            last_seen: string;
        };
        UserGroup: {
            /** Format: uuid */
            id: string;
            name: string;
        };
        AuditVerification: {
            /** Format: uuid */
            tenant_id: string;
            valid: boolean;
            entries_checked: number;
            first_broken: components["schemas"]["AuditBrokenLink"];
            /** @description Checkpoints whose JWS verified and whose hash matched the recomputed chain. */
            checkpoints_verified: number;
            checkpoints_total: number;
            /** @description The chain head checked up to; entries written during the check wait for the next. */
            head: {
                last_id: number;
                seq: number;
                /**
                 * @description Hex SHA-256.
                 * @example 9f2c…
                 */
                hash: string;
                updated_at: string;
            } | null;
            /** @description Where retention archived and deleted the oldest entries (docs/retention.md): the check started after this entry, from the hash its signed checkpoint pins. Null: the chain is whole from its first entry. */
            archived_through: {
                seq: number;
                last_id: number;
                /**
                 * @description Hex SHA-256.
                 * @example 9f2c…
                 */
                hash: string;
                checkpoint_id: number;
                archived_at: string;
            } | null;
            verified_at: string;
        };
        AuditBrokenLink: {
            /** @description The audit entry where the chain first fails. */
            id: number;
            /** @description Its position in the tenant's chain (1, 2, …). */
            seq: number | null;
            /**
             * @description `hash_mismatch`: the entry was changed after it was written. `prev_hash_mismatch`: its link to the entry before it was changed. `entries_missing`: entries before it (or at the end of the chain) were removed. `head_mismatch`: the last entries were rewritten. `checkpoint_mismatch`: a signed checkpoint pins another hash here (the chain up to here was rewritten and re-hashed). `checkpoint_signature_invalid`: a checkpoint's signature does not verify. `checkpoint_entry_missing`: a checkpoint names an entry that is gone.
             * @enum {string}
             */
            reason: "hash_mismatch" | "prev_hash_mismatch" | "entries_missing" | "checkpoint_mismatch" | "checkpoint_signature_invalid" | "checkpoint_entry_missing" | "head_mismatch";
            /**
             * @description The recomputed hash of the entry before it (or 64 zeros for the first).
             * @example 9f2c…
             */
            expected_prev_hash: string | null;
            /**
             * @description The prev_hash stored in the entry.
             * @example 9f2c…
             */
            actual_prev_hash: string | null;
            /**
             * @description What the entry's hash should be (recomputed, or signed).
             * @example 9f2c…
             */
            expected_hash: string | null;
            /**
             * @description The hash found (stored, or recomputed against a checkpoint).
             * @example 9f2c…
             */
            actual_hash: string | null;
            checkpoint_id: number | null;
        } | null;
        AuditCheckpointList: {
            data: components["schemas"]["AuditCheckpoint"][];
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        AuditCheckpoint: {
            id: number;
            /** @description The audit entry the checkpoint pins. */
            last_id: number;
            /** @description The chain's hash at that entry (hex SHA-256). */
            hash: string;
            /** @description The signing key (`kid` in /.well-known/jwks.json while it is published). */
            kid: string;
            /** @description Compact JWS (ES256, `typ: dfda-audit-checkpoint+jws`) over {tenant_id, last_id, seq, hash, iat}. */
            signature: string;
            created_at: string;
        };
        Retention: {
            /**
             * @description Originals of uploaded files: older ones are removed from storage (the observations mapped from them stay). A file still being mapped is never removed. Days; null keeps them for ever (the default).
             * @example 365
             */
            raw_files_days: number | null;
            /**
             * @description Raw responses connectors fetched from vendors' APIs, by the day they were fetched. Days; null keeps them for ever (the default).
             * @example 365
             */
            vendor_responses_days: number | null;
            /**
             * @description Issues recorded by finished ingest jobs. Days; null keeps them for ever (the default).
             * @example 365
             */
            job_issues_days: number | null;
            /**
             * @description The access (audit) log: older entries are archived to storage with their signed checkpoint, then deleted; GET /v1/admin/audit/verify then starts from that checkpoint. An entry goes up to one checkpoint interval (a week) after its period. Days; null keeps them for ever (the default).
             * @example 365
             */
            access_log_days: number | null;
            /** Format: uuid */
            tenant_id: string;
            /** @description When an administrator last set it; null: never. */
            updated_at: string | null;
            /** Format: uuid */
            updated_by: string | null;
        };
        RetentionPolicy: {
            /**
             * @description Originals of uploaded files: older ones are removed from storage (the observations mapped from them stay). A file still being mapped is never removed. Days; null keeps them for ever (the default).
             * @example 365
             */
            raw_files_days: number | null;
            /**
             * @description Raw responses connectors fetched from vendors' APIs, by the day they were fetched. Days; null keeps them for ever (the default).
             * @example 365
             */
            vendor_responses_days: number | null;
            /**
             * @description Issues recorded by finished ingest jobs. Days; null keeps them for ever (the default).
             * @example 365
             */
            job_issues_days: number | null;
            /**
             * @description The access (audit) log: older entries are archived to storage with their signed checkpoint, then deleted; GET /v1/admin/audit/verify then starts from that checkpoint. An entry goes up to one checkpoint interval (a week) after its period. Days; null keeps them for ever (the default).
             * @example 365
             */
            access_log_days: number | null;
        };
        MyStats: {
            total: number;
            variables: {
                variable: {
                    /** Format: uuid */
                    id: string;
                    slug: string;
                    name: string;
                    category: string;
                };
                unit: string | null;
                count: number;
                /** Format: date-time */
                first: string;
                /** Format: date-time */
                last: string;
                min: number | null;
                max: number | null;
                mean: number | null;
                sources: string[];
            }[];
            sources: {
                slug: string;
                name: string;
                count: number;
                /** Format: date-time */
                first: string;
                /** Format: date-time */
                last: string;
            }[];
        };
        ConnectedApp: {
            client_id: string;
            name: string;
            scopes: string[];
            /** Format: date-time */
            granted_at: string;
            /**
             * Format: date-time
             * @description When it last got a token.
             */
            last_used_at: string | null;
            /** @description What the app's own servers may do with your data without you signed in (client credentials): the live consent grants naming the app. Empty: the app acts only with your own sign-in. */
            background_access: {
                /**
                 * Format: uuid
                 * @description Revoke this one alone with DELETE /v1/consents/{id}.
                 */
                consent_id: string;
                actions: ("read" | "write")[];
                categories: string[];
                variable_ids: string[];
                /**
                 * Format: date-time
                 * @description When it ends by itself.
                 */
                expires_at: string | null;
            }[];
        };
        AccessLogEntry: {
            /** Format: date-time */
            at: string;
            /** @example observations.read */
            action: string;
            /** @enum {string} */
            outcome: "success" | "failure" | "denied";
            actor: {
                /** Format: uuid */
                user_id: string | null;
                client_id: string | null;
            };
            resource: {
                type: string | null;
                id: string | null;
            };
            /** @description Scope and data asked for, reason of a denial. Identical decisions in a row are coalesced: `coalesced` counts those this entry stands for besides its own (between `coalesced_first_at` and `coalesced_last_at`); an entry with `count_only` stands for no decision of its own. */
            details: {
                [key: string]: unknown;
            } | null;
        };
        ObservationsDeleted: {
            deleted: number;
        };
        AccountErased: {
            /** @enum {boolean} */
            erased: true;
            /** @description What was deleted, by kind. */
            counts: {
                [key: string]: number;
            };
        };
        ExportAccepted: {
            /** Format: uuid */
            export_id: string;
            /** @enum {string} */
            status: "queued";
            /** @description Follow the export here (`GET`). */
            status_url: string;
        };
        ExportRequest: {
            /**
             * @description `json`: one JSON document; `csv`: RFC 4180 with a header row; `fhir-ndjson`: one FHIR R4 Observation per line, as in a FHIR Bulk Data export.
             * @enum {string}
             */
            format: "json" | "csv" | "fhir-ndjson";
            /**
             * @description Also include your original uploaded files, byte for byte: the download is then a ZIP archive with the observations file, `files/<id>-<name>` and `manifest.json`. Needs the `files:read` scope too.
             * @default false
             */
            include_files: boolean;
            /**
             * @description Only observations matching all of these (each list: any of its items).
             * @default {}
             */
            filters: {
                /** @description Variable ids, or codings as `system|code` (e.g. `http://loinc.org|8867-4`). */
                variables?: string[];
                /** @description Category slugs (`vital_signs`). */
                categories?: string[];
                /**
                 * Format: date-time
                 * @description Earliest start_at (inclusive).
                 */
                from?: string;
                /**
                 * Format: date-time
                 * @description Latest start_at (exclusive); after `from`.
                 */
                to?: string;
                /** @description Source slugs. */
                sources?: string[];
            };
        };
        ExportList: {
            data: components["schemas"]["Export"][];
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        Export: {
            /** Format: uuid */
            id: string;
            /**
             * @description `expired`: completed, but the download link's time is over (ask for a new export).
             * @enum {string}
             */
            status: "queued" | "processing" | "completed" | "failed" | "expired";
            /** @enum {string} */
            format: "json" | "csv" | "fhir-ndjson";
            include_files: boolean;
            filters: components["schemas"]["ExportFilters"];
            progress: {
                rows_written: number;
                /** @description Observations matching the filters when the export started (an estimate). */
                total_rows: number | null;
                files_written: number;
            };
            /**
             * @description The media type of the download.
             * @example application/fhir+ndjson
             */
            content_type: string;
            /** @description Bytes of the download, once completed. */
            size_bytes: number | null;
            error: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** Format: date-time */
            completed_at: string | null;
            /**
             * Format: date-time
             * @description When the download link stops working.
             */
            expires_at: string | null;
            /** @description While completed and unexpired: a signed link that downloads the export without a bearer token, until `expires_at`. Treat it as a secret. */
            download_url: string | null;
            /**
             * Format: uuid
             * @description Who asked: the owner, or their custodian.
             */
            requested_by: string | null;
        };
        /** @description The filters as stored: variables resolved to their ids. */
        ExportFilters: {
            /** @description Variable ids. */
            variables?: string[];
            /** @description Category slugs. */
            categories?: string[];
            /** @description Earliest start_at (inclusive). */
            from?: string;
            /** @description Latest start_at (exclusive). */
            to?: string;
            /** @description Source slugs. */
            sources?: string[];
        };
        Observation: {
            /** Format: uuid */
            id: string;
            variable: {
                /** Format: uuid */
                id: string;
                /** @description The definition version the value was stored under. */
                version: number;
                /** @example heart-rate */
                slug: string;
                /** @example Heart rate */
                name: string;
                /** @example vital_signs */
                category: string;
            };
            /** Format: date-time */
            start_at: string;
            /** Format: date-time */
            end_at: string | null;
            /**
             * @description A numeric value, in the canonical `unit`.
             * @example 72
             */
            value: number | null;
            /**
             * @description Set for a censored value (FHIR R4 `Quantity.comparator`): `value` is then the bound, e.g. `<` with 5 for a result reported as "<5". Null for an exact value.
             * @enum {string|null}
             */
            comparator: "<" | "<=" | ">=" | ">" | null;
            value_code: string | null;
            value_text: string | null;
            value_boolean: boolean | null;
            /**
             * @description The variable's canonical UCUM unit.
             * @example /min
             */
            unit: string | null;
            /** @description The value and unit as they were sent, before conversion. */
            original: {
                value: number | null;
                unit: string | null;
            };
            /**
             * @description Slug of the source.
             * @example client-my-watch
             */
            source: string;
            flags: {
                /** @description False when the value lies outside the variable's valid range. */
                valid: boolean;
                /** @description Unusual for this person's own history. */
                outlier: boolean;
            };
            note: string | null;
            /** Format: uuid */
            job_id: string | null;
            /** Format: uuid */
            file_id: string | null;
            /** Format: date-time */
            created_at: string;
        };
        ObservationSummary: {
            variable: {
                /** Format: uuid */
                id: string;
                /** @example steps */
                slug: string;
                /** @description Canonical UCUM unit of every number below. */
                unit: string | null;
                /** @enum {string} */
                combination_operation: "sum" | "mean" | "last" | "max" | "min";
            };
            /** @enum {string} */
            bucket: "hour" | "day" | "week" | "month";
            tz: string;
            data: {
                /**
                 * Format: date-time
                 * @description The bucket's first instant.
                 */
                start: string;
                count: number;
                min: number | null;
                max: number | null;
                mean: number | null;
                sum: number | null;
                /** @description Combined per `combination_operation`. */
                value: number | null;
            }[];
        };
        Consent: {
            /** Format: uuid */
            id: string;
            /**
             * Format: uuid
             * @description The data owner who granted.
             */
            owner_id: string;
            grantee: {
                /** @enum {string} */
                type: "user" | "client" | "group" | "study" | "plugin";
                /** @description A user id, a `client_id`, a group id, a study id or a plugin id. */
                id: string;
            };
            actions: ("read" | "write")[];
            scope: {
                /**
                 * @example [
                 *       "vital_signs"
                 *     ]
                 */
                categories: string[];
                variable_ids: string[];
            };
            /** @description Only data whose start_at lies in [from, to); null: unbounded. */
            data_window: {
                /** Format: date-time */
                from: string | null;
                /** Format: date-time */
                to: string | null;
            };
            /** Format: date-time */
            expires_at: string | null;
            purpose: string | null;
            /** @description SHA-256 (hex) of the consent document accepted. */
            document_hash: string | null;
            /** @enum {string} */
            status: "active" | "expired" | "revoked";
            /**
             * Format: uuid
             * @description The owner, or their custodian.
             */
            granted_by: string | null;
            /**
             * @description `oauth`: approved on the OAuth consent screen.
             * @enum {string}
             */
            via: "api" | "oauth";
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            revoked_at: string | null;
        };
        ConsentGrantRequest: {
            /** @description Whom the grant names: a user id, a `client_id`, a group id, a study id, or the id (slug) of a plugin enabled in the organisation (`n-of-1`): what the plugin may analyse for you (docs/plugins.md). */
            grantee: {
                /** @enum {string} */
                type: "user" | "client" | "group" | "study" | "plugin";
                /** @example 0193a5c4-… */
                id: string;
            };
            actions: ("read" | "write")[];
            scope: {
                categories?: ("vital_signs" | "laboratory" | "physical_activity" | "sleep" | "body_composition" | "nutrition" | "symptoms" | "mood" | "treatments" | "supplements" | "conditions" | "environment" | "cardiovascular" | "respiratory" | "reproductive_health" | "cognitive" | "activities" | "immunizations")[];
                /** @description Variable ids, or codings as `system|code` (e.g. `http://loinc.org|8867-4`). */
                variables?: string[];
            };
            data_window?: {
                /** Format: date-time */
                from?: string;
                /** Format: date-time */
                to?: string;
            };
            /**
             * Format: date-time
             * @description The grant stops working at this instant (future).
             */
            expires_at?: string;
            purpose?: string;
            /** @description SHA-256 (hex) of the consent document version accepted; required for a study. */
            document_hash?: string;
        };
        Study: {
            /** Format: uuid */
            id: string;
            /** @example sleep-and-mood-2026 */
            slug: string;
            /** @example Sleep and mood 2026 */
            name: string;
            description: string | null;
            /** Format: date-time */
            created_at: string;
        };
        StudyObservation: {
            /**
             * Format: uuid
             * @description The participant's pseudonym in this study (random, per study).
             */
            subject_id: string;
            variable: {
                /** Format: uuid */
                id: string;
                /** @example heart-rate */
                slug: string;
                /** @example Heart rate */
                name: string;
                /** @example vital_signs */
                category: string;
            };
            /** Format: date-time */
            start_at: string;
            /** Format: date-time */
            end_at: string | null;
            /** @description In the canonical `unit`. */
            value: number | null;
            value_code: string | null;
            value_boolean: boolean | null;
            unit: string | null;
            flags: {
                valid: boolean;
                outlier: boolean;
            };
        };
        CustodianLink: {
            /**
             * Format: uuid
             * @description The parent or guardian.
             */
            custodian_id: string;
            /**
             * Format: uuid
             * @description The person whose data the custodian manages.
             */
            dependent_id: string;
        };
        TotpEnrolment: {
            /**
             * @description Base32 (RFC 4648) secret.
             * @example JBSWY3DPEHPK3PXP
             */
            secret: string;
            /** @example otpauth://totp/dFDA:you%40example.org?secret=…&issuer=dFDA */
            otpauth_uri: string;
        };
        RecoveryCodes: {
            recovery_codes: string[];
        };
        Connector: {
            /** @example oura */
            id: string;
            /** @example Oura Ring */
            name: string;
            /**
             * @example [
             *       "heart_rate",
             *       "steps",
             *       "oxygen_saturation"
             *     ]
             */
            data_types: string[];
            /**
             * @description How a person links an account: OAuth 2.0 at the vendor.
             * @enum {string}
             */
            auth: "oauth2";
            /**
             * @description `unavailable`: this server has no OAuth client registered with the vendor.
             * @enum {string}
             */
            status: "available" | "unavailable";
            /** @description A demo connector talking to a fake vendor (never real accounts). */
            demo: boolean;
        };
        Connection: {
            /** Format: uuid */
            id: string;
            connector: string;
            /**
             * @description `active`: synced on schedule; `syncing`: a sync is queued or running; `needs_reauth`: the vendor no longer accepts the connection, connect it again; `paused`; `error`: the last sync failed (see `error`), the next scheduled one tries again.
             * @enum {string}
             */
            status: "active" | "syncing" | "needs_reauth" | "paused" | "error";
            /** Format: date-time */
            last_sync_at: string | null;
            /** Format: date-time */
            next_sync_at: string | null;
            /** @description What went wrong last, in plain words. */
            error: string | null;
            /** @description Observations stored through this connection. */
            imported: number;
            /** Format: date-time */
            created_at: string;
        };
        ConnectStarted: {
            /**
             * Format: uri
             * @description Send the person here to approve the connection at the vendor.
             */
            authorize_url: string;
            /**
             * Format: date-time
             * @description The approval must happen before this.
             */
            expires_at: string;
        };
        ConnectRequest: {
            /** @example oura */
            connector: string;
        };
        ConnectionDeleted: {
            /** @description 0 unless `delete_data=true`. */
            deleted_observations: number;
        };
        RegisteredPlugin: {
            /**
             * @description The plugin's id (its manifest's `id`).
             * @example n-of-1
             */
            id: string;
            /** @example N-of-1 predictor → outcome analysis */
            name: string;
            /** @enum {string} */
            kind: "mapper" | "analysis" | "visualization" | "connector";
            /** @example 1.0.0 */
            version: string;
            enabled: boolean;
            /** @example PLUGIN_N_OF_1 */
            service_binding: string | null;
            /** @example null */
            url: string | null;
            /** @description The manifest `describe()` answered. */
            manifest: {
                [key: string]: unknown;
            };
            /** Format: uuid */
            registered_by: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        PluginRegistration: {
            /**
             * @description A service binding of the API Worker (workers/api/wrangler.toml `[[services]]`).
             * @example PLUGIN_N_OF_1
             */
            service_binding: string;
        } | {
            /**
             * Format: uri
             * @description The plugin's HTTPS base URL; the platform signs each request.
             * @example https://plugins.example.org/my-plugin
             */
            url: string;
        };
        AvailablePlugin: {
            /**
             * @description The id a grant and an analysis name it by.
             * @example n-of-1
             */
            id: string;
            name: string;
            /** @enum {string} */
            kind: "mapper" | "analysis" | "visualization" | "connector";
            /** @example 1.0.0 */
            version: string;
            description: string;
            homepage: string | null;
            data: components["schemas"]["PluginData"];
            /** @description JSON Schema (2020-12) of its input. */
            input_schema: {
                [key: string]: unknown;
            };
            /** @description JSON Schema (2020-12) of its output. */
            output_schema: {
                [key: string]: unknown;
            };
        };
        /** @description What the plugin may read: the categories a person is asked to grant. */
        PluginData: {
            /**
             * @example [
             *       "vital_signs",
             *       "sleep"
             *     ]
             */
            categories: string[];
            /**
             * @example [
             *       "day"
             *     ]
             */
            resolutions: ("hour" | "day")[];
        };
        Analysis: {
            /** Format: uuid */
            id: string;
            /**
             * @description The analysis plugin's id.
             * @example n-of-1
             */
            plugin: string;
            /** @description The plugin version that computed `result` (or that will run, while queued). */
            plugin_version: string | null;
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "failed";
            /** @description 0–1 while running; 1 once succeeded. */
            progress: number;
            /** @description The input as asked (validated against the plugin's input_schema). */
            input?: unknown;
            /** @description The plugin's output (its manifest's output_schema) once succeeded; null otherwise. */
            result?: unknown;
            /** @description Why the last run failed: an RFC 9457 problem (`code`: `consent_required`, `plugin_timeout`, `plugin_failed` …); null unless failed. */
            problem: {
                [key: string]: unknown;
            } | null;
            /** @description The buckets [from, to) the plugin's table covered in the last successful run. */
            data_window: {
                /** Format: date-time */
                from: string | null;
                /** Format: date-time */
                to: string | null;
                /**
                 * Format: date-time
                 * @description The newest observation time the result saw.
                 */
                through: string | null;
            };
            /** @description Run again when newer data arrives (a sweep every 15 minutes looks for it). */
            recompute: boolean;
            /** @description Runs started so far. */
            runs: number;
            requested_by: {
                /** Format: uuid */
                user_id: string | null;
                client_id: string | null;
            };
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** Format: date-time */
            finished_at: string | null;
        };
        AnalysisRequest: {
            /**
             * @description The analysis plugin's id (GET /v1/plugins).
             * @example n-of-1
             */
            plugin: string;
            /**
             * @description What to analyse, as the plugin's `input_schema` describes it.
             * @example {
             *       "mode": "pair",
             *       "predictor": "magnesium",
             *       "outcome": "headache"
             *     }
             */
            input?: unknown;
            /**
             * @description Run it again whenever newer data arrives (checked every 15 minutes).
             * @default false
             */
            recompute: boolean;
        };
        AuthorizationServerMetadata: {
            /** @example https://api.example.org */
            issuer: string;
            authorization_endpoint: string;
            token_endpoint: string;
            device_authorization_endpoint: string;
            jwks_uri: string;
            userinfo_endpoint: string;
            registration_endpoint: string;
            revocation_endpoint: string;
            introspection_endpoint: string;
            end_session_endpoint: string;
            scopes_supported: string[];
            response_types_supported: string[];
            response_modes_supported: string[];
            grant_types_supported: string[];
            code_challenge_methods_supported: string[];
            token_endpoint_auth_methods_supported: string[];
            revocation_endpoint_auth_methods_supported: string[];
            introspection_endpoint_auth_methods_supported: string[];
            id_token_signing_alg_values_supported: string[];
            subject_types_supported: string[];
            claims_supported: string[];
            authorization_response_iss_parameter_supported: boolean;
            service_documentation: string;
        };
        JwkSet: {
            keys: components["schemas"]["Jwk"][];
        };
        Jwk: {
            /** @example EC */
            kty: string;
            /** @example P-256 */
            crv?: string;
            x?: string;
            y?: string;
            kid?: string;
            /** @example ES256 */
            alg?: string;
            /** @example sig */
            use?: string;
        };
        SmartConfiguration: {
            issuer: string;
            jwks_uri: string;
            authorization_endpoint: string;
            token_endpoint: string;
            grant_types_supported: string[];
            token_endpoint_auth_methods_supported: string[];
            registration_endpoint: string;
            revocation_endpoint: string;
            introspection_endpoint: string;
            userinfo_endpoint: string;
            scopes_supported: string[];
            response_types_supported: string[];
            code_challenge_methods_supported: string[];
            capabilities: string[];
        };
        DeviceAuthorizationResponse: {
            device_code: string;
            /** @example BDWP-HQPK */
            user_code: string;
            /** @example https://api.example.org/oauth/device */
            verification_uri: string;
            /** @example https://api.example.org/oauth/device?user_code=BDWP-HQPK */
            verification_uri_complete: string;
            /** @example 600 */
            expires_in: number;
            /** @example 5 */
            interval: number;
        };
        OAuthError: {
            /**
             * @description Error code of the OAuth specification that applies (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7591 §3.2.2).
             * @example invalid_grant
             */
            error: string;
            /** @example The authorization code is not valid. */
            error_description?: string;
        };
        TokenResponse: {
            /** @description A JWT (RFC 9068). */
            access_token: string;
            /** @enum {string} */
            token_type: "Bearer";
            /** @example 600 */
            expires_in: number;
            scope: string;
            refresh_token?: string;
            id_token?: string;
            /** @description SMART App Launch: with `launch/patient`, the FHIR Patient id of the person (GET /fhir/R4/Patient/{id}). */
            patient?: string;
        };
        TokenIntrospection: {
            active: boolean;
            scope?: string;
            client_id?: string;
            sub?: string;
            exp?: number;
            iat?: number;
            iss?: string;
            aud?: string | string[];
            jti?: string;
            /** @example Bearer */
            token_type?: string;
            tenant?: string;
            roles?: string[];
        };
        UserInfo: {
            sub: string;
            tenant: string;
            /** @description With the `email` scope. */
            email?: string;
            /** @description With the `email` scope. */
            email_verified?: boolean;
            /** @description With the `profile` scope, when set. */
            name?: string;
            /** @description With the SMART `fhirUser` scope: the URL of the user's FHIR Patient resource. */
            fhirUser?: string;
        };
        ClientInformation: components["schemas"]["ClientMetadata"] & {
            client_id: string;
            client_secret?: string;
            client_secret_expires_at?: number;
            client_id_issued_at: number;
            response_types: string[];
        };
        ClientMetadata: {
            /**
             * @description Up to 100 characters.
             * @example My health app
             */
            client_name: string;
            /**
             * @example [
             *       "https://app.example/callback"
             *     ]
             */
            redirect_uris: string[];
            /**
             * @description `none` registers a public client. Default `client_secret_basic`.
             * @enum {string}
             */
            token_endpoint_auth_method?: "none" | "client_secret_basic" | "client_secret_post";
            grant_types?: string[];
            /** @description Space-separated; default `openid profile`. Administrative and developer scopes (`tenant:manage`, `audit:read`, `clients:manage`) are refused: an operator grants them. */
            scope?: string;
            /** @description An https URL. */
            logo_uri?: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Healthy. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok",
                     *       "checks": {
                     *         "database": {
                     *           "status": "ok",
                     *           "latency_ms": 2.4,
                     *           "migrations": 31
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description The database does not answer. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getProblemType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The problem type. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "validation_failed",
                     *       "status": 400,
                     *       "title": "The request is not valid",
                     *       "description": "A parameter, header or body field does not match the operation's schema; `errors` lists each bad field with its location and a JSON Pointer."
                     *     }
                     */
                    "application/json": components["schemas"]["ProblemType"];
                };
            };
            /** @description No such problem type. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No problem type no_such_code.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listVariables: {
        parameters: {
            query?: {
                /** @description Category slug. */
                category?: string;
                /** @description Code system URI. */
                system?: string;
                /** @description Code in `system` (or any system). */
                code?: string;
                /** @description Text search. */
                q?: string;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Page size (1–200). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of variables. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
                     *           "version": 1,
                     *           "slug": "heart-rate",
                     *           "name": "Heart rate",
                     *           "category": "vital_signs",
                     *           "value_type": "numeric",
                     *           "canonical_unit": "/min",
                     *           "valid_min": 20,
                     *           "valid_max": 300,
                     *           "range_severity": "flag",
                     *           "molecular_weight": null,
                     *           "is_input_factor": false,
                     *           "is_outcome": true,
                     *           "combination_operation": "mean",
                     *           "synonyms": [
                     *             "pulse",
                     *             "HR"
                     *           ],
                     *           "description": "Number of heartbeats per minute.",
                     *           "codes": [
                     *             {
                     *               "system": "http://loinc.org",
                     *               "code": "8867-4",
                     *               "display": "Heart rate",
                     *               "preferred": true
                     *             }
                     *           ],
                     *           "valid_from": "2025-01-01T00:00:00.000Z",
                     *           "valid_to": null,
                     *           "scope": "platform"
                     *         }
                     *       ],
                     *       "next_cursor": "eyJ2IjoxLCJrIjpbImhlYXJ0LXJhdGUiXX0"
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["Variable"][];
                        /** @description Pass as `cursor` to get the next page; null on the last page. */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getVariable: {
        parameters: {
            query?: {
                /** @description A definition version. */
                version?: number;
                /** @description An instant (RFC 3339 with offset). */
                at?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The variable. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
                     *       "version": 1,
                     *       "slug": "heart-rate",
                     *       "name": "Heart rate",
                     *       "category": "vital_signs",
                     *       "value_type": "numeric",
                     *       "canonical_unit": "/min",
                     *       "valid_min": 20,
                     *       "valid_max": 300,
                     *       "range_severity": "flag",
                     *       "molecular_weight": null,
                     *       "is_input_factor": false,
                     *       "is_outcome": true,
                     *       "combination_operation": "mean",
                     *       "synonyms": [
                     *         "pulse",
                     *         "HR"
                     *       ],
                     *       "description": "Number of heartbeats per minute.",
                     *       "codes": [
                     *         {
                     *           "system": "http://loinc.org",
                     *           "code": "8867-4",
                     *           "display": "Heart rate",
                     *           "preferred": true
                     *         }
                     *       ],
                     *       "valid_from": "2025-01-01T00:00:00.000Z",
                     *       "valid_to": null,
                     *       "scope": "platform",
                     *       "versions": [
                     *         {
                     *           "version": 1,
                     *           "valid_from": "2025-01-01T00:00:00.000Z",
                     *           "valid_to": null
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["VariableWithVersions"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listVariableCategories: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Page size (1–200). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of categories. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "0193a0cb-2f3a-7b4c-8d5e-6f7a8b9c0d12",
                     *           "slug": "vital_signs",
                     *           "name": "Vital signs",
                     *           "description": "Heart rate, blood pressure, temperature, respiration and oxygen saturation.",
                     *           "variable_count": 14
                     *         }
                     *       ],
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["VariableCategory"][];
                        /** @description Pass as `cursor` to get the next page; null on the last page. */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listUnits: {
        parameters: {
            query?: {
                /** @description Unit system: `ucum` (or its URI), the only one supported. */
                system?: "ucum" | "http://unitsofmeasure.org";
                /** @description Text search. */
                q?: string;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Page size (1–200). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of units. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "system": "http://unitsofmeasure.org",
                     *           "code": "mmol/L",
                     *           "name": "millimole per liter",
                     *           "property": "substance concentration",
                     *           "dimension": "mol1.L-3",
                     *           "common": true,
                     *           "base": false,
                     *           "synonyms": [
                     *             "mmol/l"
                     *           ]
                     *         }
                     *       ],
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["Unit"][];
                        /** @description Pass as `cursor` to get the next page; null on the last page. */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    ingestObservations: {
        parameters: {
            query?: {
                /** @description Whose record (default: the signed-in user). Required for an app acting for itself; another person's record needs their write grant. */
                user_id?: string;
            };
            header?: {
                /** @description Client-chosen key that makes the request safe to repeat. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "observations": [
                 *         {
                 *           "variable": {
                 *             "system": "http://loinc.org",
                 *             "code": "8867-4"
                 *           },
                 *           "value": 62,
                 *           "unit": "/min",
                 *           "start_at": "2026-12-06T07:00:00Z",
                 *           "source": "manual"
                 *         },
                 *         {
                 *           "variable": "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
                 *           "value": 71,
                 *           "unit": "/min",
                 *           "start_at": "2026-12-06T07:05:00+01:00",
                 *           "note": "after coffee"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    observations: {
                        variable: string | {
                            system: string;
                            code: string;
                        };
                        value: number | string | boolean;
                        unit?: string;
                        /** @enum {string} */
                        comparator?: "<" | "<=" | ">=" | ">";
                        /** Format: date-time */
                        start_at: string;
                        /** Format: date-time */
                        end_at?: string;
                        source?: string;
                        note?: string;
                        metadata?: {
                            [key: string]: unknown;
                        };
                    }[];
                };
            };
        };
        responses: {
            /** @description Accepted and queued. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "job_id": "0193a0c1-2b3c-7d4e-8f5a-6b7c8d9e0f12",
                     *       "status_url": "http://127.0.0.1:8787/v1/ingest/jobs/0193a0c1-2b3c-7d4e-8f5a-6b7c8d9e0f12",
                     *       "status": "queued",
                     *       "received": 2
                     *     }
                     */
                    "application/json": components["schemas"]["JobAccepted"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Idempotency-Key was used with another body. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "This Idempotency-Key was already used with a different body. Use a new key for new data.",
                     *       "code": "conflict",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getIngestJob: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Page size (1–200). */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0193a0c1-2b3c-7d4e-8f5a-6b7c8d9e0f12",
                     *       "kind": "observations",
                     *       "status": "completed_with_issues",
                     *       "counts": {
                     *         "received": 2,
                     *         "stored": 1,
                     *         "flagged": 0,
                     *         "outliers": 0,
                     *         "duplicates": 0,
                     *         "rejected": 1,
                     *         "pending": 0
                     *       },
                     *       "progress": {
                     *         "processed": 2,
                     *         "total": 2
                     *       },
                     *       "error": null,
                     *       "created_at": "2026-12-06T08:30:00.000Z",
                     *       "updated_at": "2026-12-06T08:30:04.000Z",
                     *       "completed_at": "2026-12-06T08:30:04.000Z",
                     *       "issues": [
                     *         {
                     *           "index": 1,
                     *           "location": "/observations/1/value",
                     *           "code": "out_of_range",
                     *           "severity": "error",
                     *           "message": "710 /min is above the variable's valid maximum of 300 /min."
                     *         }
                     *       ],
                     *       "issues_next_cursor": null
                     *     }
                     */
                    "application/json": components["schemas"]["IngestJob"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    uploadFile: {
        parameters: {
            query?: {
                /** @description File name, for a raw body. */
                name?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "file": "Date,Heart rate (bpm),Notes\n2026-12-06T07:00:00Z,62,\n",
                 *       "mapping": "{\"Heart rate (bpm)\":{\"variable_id\":EXAMPLE_IDS.variable,\"unit\":\"/min\"}}"
                 *     }
                 */
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                    /** @description JSON: header → {variable_id, unit} */
                    mapping?: string;
                };
                "application/octet-stream": string;
            };
        };
        responses: {
            /** @description These bytes were uploaded before: the existing file. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "file_id": "0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23",
                     *       "job_id": null,
                     *       "status_url": null,
                     *       "existing": true,
                     *       "file": {
                     *         "id": "0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23",
                     *         "name": "heart-rate.csv",
                     *         "content_type": "text/csv",
                     *         "format": "csv",
                     *         "size_bytes": 2048,
                     *         "sha256": "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b",
                     *         "status": "mapped",
                     *         "mapper": {
                     *           "id": "csv",
                     *           "version": "1.0.0"
                     *         },
                     *         "key_version": 1,
                     *         "error": null,
                     *         "created_at": "2026-12-06T08:30:00.000Z",
                     *         "updated_at": "2026-12-06T08:30:04.000Z",
                     *         "content_url": "http://127.0.0.1:8787/v1/files/0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23/content"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["FileAccepted"];
                };
            };
            /** @description Stored and queued for mapping. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "file_id": "0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23",
                     *       "job_id": "0193a0c1-2b3c-7d4e-8f5a-6b7c8d9e0f12",
                     *       "status_url": "http://127.0.0.1:8787/v1/ingest/jobs/0193a0c1-2b3c-7d4e-8f5a-6b7c8d9e0f12",
                     *       "existing": false,
                     *       "file": {
                     *         "id": "0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23",
                     *         "name": "heart-rate.csv",
                     *         "content_type": "text/csv",
                     *         "format": "csv",
                     *         "size_bytes": 2048,
                     *         "sha256": "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b",
                     *         "status": "processing",
                     *         "mapper": null,
                     *         "key_version": 1,
                     *         "error": null,
                     *         "created_at": "2026-12-06T08:30:00.000Z",
                     *         "updated_at": "2026-12-06T08:30:00.000Z",
                     *         "content_url": "http://127.0.0.1:8787/v1/files/0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23/content"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["FileAccepted"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The file is larger than this server accepts. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "Files are accepted up to 104,857,600 bytes.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createUpload: {
        parameters: {
            query?: never;
            header?: {
                /** @description The tus version: 1.0.0. */
                "tus-resumable"?: string;
                /** @description The file's size in bytes (required). */
                "upload-length"?: string;
                /** @description Comma-separated `key base64(value)` pairs (tus 1.0.0 §Upload-Metadata). */
                "upload-metadata"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Created: PATCH the bytes to `Location`. */
            201: {
                headers: {
                    Location: string;
                    "Upload-Expires": string;
                    "Tus-Resumable": string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "01939a4e-7c1a-7b3e-9f00-5a1d2c3b4e5f",
                     *       "status": "open",
                     *       "offset": 10485760,
                     *       "length": 104857600,
                     *       "file_name": "export.xml",
                     *       "content_type": "application/xml",
                     *       "created_at": "2026-12-06T15:00:00.000Z",
                     *       "expires_at": "2026-12-07T15:04:10.000Z",
                     *       "file_id": null,
                     *       "job_id": null,
                     *       "file_url": null,
                     *       "status_url": null
                     *     }
                     */
                    "application/json": components["schemas"]["Upload"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `Tus-Resumable` missing or not 1.0.0 (`tus_version_unsupported`). */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/tus_version_unsupported",
                     *       "title": "Unsupported tus version",
                     *       "status": 412,
                     *       "detail": "Send Tus-Resumable: 1.0.0.",
                     *       "code": "tus_version_unsupported",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `Upload-Length` is over `Tus-Max-Size` (`payload_too_large`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 104857600,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "Files are accepted up to 104,857,600 bytes.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getUpload: {
        parameters: {
            query?: never;
            header?: {
                /** @description The tus version: 1.0.0. */
                "tus-resumable"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The upload. */
            200: {
                headers: {
                    "Upload-Offset": string;
                    "Upload-Length": string;
                    "Upload-Expires"?: string;
                    "Cache-Control": string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "01939a4e-7c1a-7b3e-9f00-5a1d2c3b4e5f",
                     *       "status": "open",
                     *       "offset": 10485760,
                     *       "length": 104857600,
                     *       "file_name": "export.xml",
                     *       "content_type": "application/xml",
                     *       "created_at": "2026-12-06T15:00:00.000Z",
                     *       "expires_at": "2026-12-07T15:04:10.000Z",
                     *       "file_id": null,
                     *       "job_id": null,
                     *       "file_url": null,
                     *       "status_url": null
                     *     }
                     */
                    "application/json": components["schemas"]["Upload"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The upload was terminated or expired (`gone`). */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/gone",
                     *       "title": "Gone",
                     *       "status": 410,
                     *       "detail": "The upload expired.",
                     *       "code": "gone",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `Tus-Resumable` is not 1.0.0 (`tus_version_unsupported`). */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/tus_version_unsupported",
                     *       "title": "Unsupported tus version",
                     *       "status": 412,
                     *       "detail": "Tus-Resumable 0.2.2 is not supported; this server speaks 1.0.0.",
                     *       "code": "tus_version_unsupported",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    terminateUpload: {
        parameters: {
            query?: never;
            header?: {
                /** @description The tus version: 1.0.0. */
                "tus-resumable"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Terminated. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The upload is complete: it is a file now (`conflict`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "The upload is complete: it is file 0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23; delete that instead.",
                     *       "code": "conflict",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Already terminated or expired (`gone`). */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/gone",
                     *       "title": "Gone",
                     *       "status": 410,
                     *       "detail": "The upload was already terminated or expired.",
                     *       "code": "gone",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `Tus-Resumable` missing or not 1.0.0 (`tus_version_unsupported`). */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/tus_version_unsupported",
                     *       "title": "Unsupported tus version",
                     *       "status": 412,
                     *       "detail": "Send Tus-Resumable: 1.0.0.",
                     *       "code": "tus_version_unsupported",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    appendUpload: {
        parameters: {
            query?: never;
            header?: {
                /** @description The tus version: 1.0.0. */
                "tus-resumable"?: string;
                /** @description Where this body starts (required). */
                "upload-offset"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/offset+octet-stream": string;
            };
        };
        responses: {
            /** @description Stored; `Upload-Offset` is the new offset. */
            204: {
                headers: {
                    "Upload-Offset": string;
                    "Upload-Expires"?: string;
                    "Tus-Resumable": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `Upload-Offset` is not the upload's offset (`upload_offset_mismatch`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/upload_offset_mismatch",
                     *       "title": "Upload-Offset does not match the upload",
                     *       "status": 409,
                     *       "detail": "Upload-Offset is 0, but the upload holds 5242880 bytes: send from there.",
                     *       "code": "upload_offset_mismatch",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The upload was terminated or expired (`gone`). */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/gone",
                     *       "title": "Gone",
                     *       "status": 410,
                     *       "detail": "The upload expired.",
                     *       "code": "gone",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `Tus-Resumable` missing or not 1.0.0 (`tus_version_unsupported`). */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/tus_version_unsupported",
                     *       "title": "Unsupported tus version",
                     *       "status": 412,
                     *       "detail": "Send Tus-Resumable: 1.0.0.",
                     *       "code": "tus_version_unsupported",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not `application/offset+octet-stream`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unsupported_media_type",
                     *       "title": "Unsupported media type",
                     *       "status": 415,
                     *       "detail": "Send the bytes as application/offset+octet-stream.",
                     *       "code": "unsupported_media_type",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Another request is writing this upload (`upload_locked`). */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/upload_locked",
                     *       "title": "The upload is being written",
                     *       "status": 423,
                     *       "detail": "Another request is writing this upload. Ask with HEAD in a moment and resume.",
                     *       "code": "upload_locked",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listFiles: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Page size (1–200). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of files. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23",
                     *           "name": "heart-rate.csv",
                     *           "content_type": "text/csv",
                     *           "format": "csv",
                     *           "size_bytes": 2048,
                     *           "sha256": "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b",
                     *           "status": "mapped",
                     *           "mapper": {
                     *             "id": "csv",
                     *             "version": "1.0.0"
                     *           },
                     *           "key_version": 1,
                     *           "error": null,
                     *           "created_at": "2026-12-06T08:30:00.000Z",
                     *           "updated_at": "2026-12-06T08:30:04.000Z",
                     *           "content_url": "http://127.0.0.1:8787/v1/files/0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23/content"
                     *         }
                     *       ],
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": components["schemas"]["FileList"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23",
                     *       "name": "heart-rate.csv",
                     *       "content_type": "text/csv",
                     *       "format": "csv",
                     *       "size_bytes": 2048,
                     *       "sha256": "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b",
                     *       "status": "mapped",
                     *       "mapper": {
                     *         "id": "csv",
                     *         "version": "1.0.0"
                     *       },
                     *       "key_version": 1,
                     *       "error": null,
                     *       "created_at": "2026-12-06T08:30:00.000Z",
                     *       "updated_at": "2026-12-06T08:30:04.000Z",
                     *       "content_url": "http://127.0.0.1:8787/v1/files/0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23/content"
                     *     }
                     */
                    "application/json": components["schemas"]["File"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFileContent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The original bytes. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The owner's key was deleted: the file can never be read again. */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/gone",
                     *       "title": "Gone",
                     *       "status": 410,
                     *       "detail": "File 0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23 can no longer be decrypted: the owner's key was deleted.",
                     *       "code": "gone",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reprocessFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued for mapping. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "file_id": "0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23",
                     *       "job_id": "0193a0c1-2b3c-7d4e-8f5a-6b7c8d9e0f12",
                     *       "status_url": "http://127.0.0.1:8787/v1/ingest/jobs/0193a0c1-2b3c-7d4e-8f5a-6b7c8d9e0f12"
                     *     }
                     */
                    "application/json": components["schemas"]["FileReprocessing"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFileColumns: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The columns. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "signature": "sha256:5d41402abc4b2a76b9719d911017c592",
                     *       "headers": [
                     *         "Date",
                     *         "Heart rate (bpm)",
                     *         "Notes"
                     *       ],
                     *       "columns": [
                     *         {
                     *           "header": "Date",
                     *           "role": "time",
                     *           "variable": null,
                     *           "unit": null,
                     *           "explicit": false
                     *         },
                     *         {
                     *           "header": "Heart rate (bpm)",
                     *           "role": "variable",
                     *           "variable": {
                     *             "id": "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
                     *             "name": "Heart rate",
                     *             "canonical_unit": "/min"
                     *           },
                     *           "unit": "/min",
                     *           "explicit": false
                     *         },
                     *         {
                     *           "header": "Notes",
                     *           "role": "metadata",
                     *           "variable": null,
                     *           "unit": null,
                     *           "explicit": false
                     *         }
                     *       ],
                     *       "saved_mapping": null
                     *     }
                     */
                    "application/json": components["schemas"]["FileColumns"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putFileColumns: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "mapping": {
                 *         "Heart rate (bpm)": {
                 *           "variable_id": "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
                 *           "unit": "/min"
                 *         },
                 *         "Notes": {
                 *           "variable_id": null
                 *         }
                 *       }
                 *     }
                 */
                "application/json": {
                    mapping: components["schemas"]["ColumnMapping"];
                };
            };
        };
        responses: {
            /** @description Saved; the file is queued for mapping. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "file_id": "0193a0c2-3c4d-7e5f-9a6b-7c8d9e0f1a23",
                     *       "signature": "sha256:5d41402abc4b2a76b9719d911017c592",
                     *       "job_id": "0193a0c1-2b3c-7d4e-8f5a-6b7c8d9e0f12",
                     *       "status_url": "http://127.0.0.1:8787/v1/ingest/jobs/0193a0c1-2b3c-7d4e-8f5a-6b7c8d9e0f12"
                     *     }
                     */
                    "application/json": components["schemas"]["FileColumnsConfirmed"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCodeMappings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every mapping of the tenant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "system": "urn:oid:1.2.3.4.5.lab",
                     *           "code": "20005",
                     *           "variable_id": "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
                     *           "display": "Pulse (ward monitor)"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["CodeMapping"][];
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putCodeMapping: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "system": "urn:oid:1.2.3.4.5.lab",
                 *       "code": "20005",
                 *       "variable_id": "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
                 *       "display": "Pulse (ward monitor)"
                 *     }
                 */
                "application/json": {
                    /** @example urn:oid:1.2.3.4.5.lab */
                    system: string;
                    /** @example 20005 */
                    code: string;
                    /** Format: uuid */
                    variable_id: string;
                    display?: string;
                };
            };
        };
        responses: {
            /** @description Saved. Values held as pending under this code (`GET /v1/admin/unmapped-codes`) are queued to be stored, one job per person and file (`remap_jobs`, followed at `/v1/ingest/jobs/{id}` by their owners). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "system": "urn:oid:1.2.3.4.5.lab",
                     *       "code": "20005",
                     *       "variable_id": "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
                     *       "display": "Pulse (ward monitor)",
                     *       "remap_jobs": [
                     *         "0193a0c1-2b3c-7d4e-8f5a-6b7c8d9e0f12"
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["CodeMapping"] & {
                        remap_jobs: string[];
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The code is one the platform maps already (LOINC, SNOMED CT …): it cannot be remapped per tenant. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "http://loinc.org|8867-4 is a platform code; it cannot be remapped per tenant.",
                     *       "code": "conflict",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteCodeMapping: {
        parameters: {
            query: {
                system: string;
                code: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listUnmappedCodes: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Page size (1–200). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the tenant's unmapped local codes. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "system": "urn:dfda:local:hl7v2:acme-lab%5Ehosp",
                     *           "code": "ABC",
                     *           "display": "Some Test",
                     *           "count": 42,
                     *           "people": 3,
                     *           "examples": [
                     *             {
                     *               "value": 5.4,
                     *               "unit": "mmol/L"
                     *             }
                     *           ],
                     *           "units": [
                     *             "mmol/L"
                     *           ],
                     *           "first_seen": "2026-11-02T08:15:00Z",
                     *           "last_seen": "2026-12-06T09:40:00Z"
                     *         }
                     *       ],
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["UnmappedCode"][];
                        /** @description Pass as `cursor` to get the next page; null on the last page. */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createGroup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "Cardiology ward 3"
                 *     }
                 */
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0193a0c5-6f7a-7b8c-8d9e-0f1a2b3c4d56",
                     *       "name": "Cardiology ward 3"
                     *     }
                     */
                    "application/json": components["schemas"]["UserGroup"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addGroupMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Added (or already a member). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    removeGroupMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    verifyAuditChain: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The result of the check. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "tenant_id": "0193a0ca-1e2f-7a3b-9c4d-5e6f7a8b9c01",
                     *       "valid": true,
                     *       "entries_checked": 18234,
                     *       "first_broken": null,
                     *       "checkpoints_verified": 12,
                     *       "checkpoints_total": 12,
                     *       "head": {
                     *         "last_id": 18311,
                     *         "seq": 18234,
                     *         "hash": "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
                     *         "updated_at": "2026-12-06T08:30:00.000Z"
                     *       },
                     *       "archived_through": null,
                     *       "verified_at": "2026-12-06T08:30:04.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["AuditVerification"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAuditCheckpoints: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Page size (1–200). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of checkpoints. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": 12,
                     *           "last_id": 18200,
                     *           "hash": "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
                     *           "kid": "audit-2026-12",
                     *           "signature": "eyJhbGciOiJFUzI1NiIsImtpZCI6ImF1ZGl0LTIwMjYtMTIifQ..MEUCIQDx",
                     *           "created_at": "2026-12-06T08:30:00.000Z"
                     *         }
                     *       ],
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": components["schemas"]["AuditCheckpointList"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRetention: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The periods. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "raw_files_days": 365,
                     *       "vendor_responses_days": 90,
                     *       "job_issues_days": 180,
                     *       "access_log_days": null,
                     *       "tenant_id": "0193a0ca-1e2f-7a3b-9c4d-5e6f7a8b9c01",
                     *       "updated_at": "2026-12-06T08:30:00.000Z",
                     *       "updated_by": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11"
                     *     }
                     */
                    "application/json": components["schemas"]["Retention"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putRetention: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "raw_files_days": 365,
                 *       "vendor_responses_days": 90,
                 *       "job_issues_days": 180,
                 *       "access_log_days": null
                 *     }
                 */
                "application/json": components["schemas"]["RetentionPolicy"];
            };
        };
        responses: {
            /** @description The periods now in force. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "raw_files_days": 365,
                     *       "vendor_responses_days": 90,
                     *       "job_issues_days": 180,
                     *       "access_log_days": null,
                     *       "tenant_id": "0193a0ca-1e2f-7a3b-9c4d-5e6f7a8b9c01",
                     *       "updated_at": "2026-12-06T08:30:00.000Z",
                     *       "updated_by": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11"
                     *     }
                     */
                    "application/json": components["schemas"]["Retention"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMyStats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The overview. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "total": 1440,
                     *       "variables": [
                     *         {
                     *           "variable": {
                     *             "id": "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
                     *             "slug": "heart-rate",
                     *             "name": "Heart rate",
                     *             "category": "vital_signs"
                     *           },
                     *           "unit": "/min",
                     *           "count": 1440,
                     *           "first": "2026-11-06T00:00:00.000Z",
                     *           "last": "2026-12-06T08:30:00.000Z",
                     *           "min": 48,
                     *           "max": 151,
                     *           "mean": 67.5,
                     *           "sources": [
                     *             "oura"
                     *           ]
                     *         }
                     *       ],
                     *       "sources": [
                     *         {
                     *           "slug": "oura",
                     *           "name": "Oura",
                     *           "count": 1440,
                     *           "first": "2026-11-06T00:00:00.000Z",
                     *           "last": "2026-12-06T08:30:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["MyStats"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMyApps: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The apps. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "client_id": "dfda-cli",
                     *           "name": "dfda command line",
                     *           "scopes": [
                     *             "openid",
                     *             "observations:read"
                     *           ],
                     *           "granted_at": "2026-12-06T08:30:00.000Z",
                     *           "last_used_at": "2026-12-06T08:30:04.000Z",
                     *           "background_access": []
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["ConnectedApp"][];
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeMyApp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                client_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMyAccessLog: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Page size (1–200). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "at": "2026-12-06T08:30:00.000Z",
                     *           "action": "observations.read",
                     *           "outcome": "success",
                     *           "actor": {
                     *             "user_id": "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22",
                     *             "client_id": null
                     *           },
                     *           "resource": {
                     *             "type": "consent",
                     *             "id": "0193a0c4-5e6f-7a7b-9c8d-9e0f1a2b3c45"
                     *           },
                     *           "details": null
                     *         }
                     *       ],
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["AccessLogEntry"][];
                        /** @description Pass as `cursor` to get the next page; null on the last page. */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteMyObservations: {
        parameters: {
            query?: {
                /** @description A variable id, or a coding as `system|code` (e.g. `http://loinc.org|8867-4`). */
                variable?: string;
                from?: string;
                to?: string;
                source?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How many were deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "deleted": 42
                     *     }
                     */
                    "application/json": components["schemas"]["ObservationsDeleted"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteMe: {
        parameters: {
            query: {
                /** @description Guards against an accidental call. */
                confirm: "delete-everything";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Erased. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "erased": true,
                     *       "counts": {
                     *         "observations": 1440,
                     *         "files": 3,
                     *         "exports": 1
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["AccountErased"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMyExports: {
        parameters: {
            query?: {
                /** @description Whose data (default: yours). A custodian names the dependent they are linked to. */
                user_id?: string;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Page size (1–200). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of exports. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "0193a0c3-4d5e-7f6a-8b7c-8d9e0f1a2b34",
                     *           "status": "completed",
                     *           "format": "fhir-ndjson",
                     *           "include_files": false,
                     *           "filters": {
                     *             "categories": [
                     *               "vital_signs"
                     *             ],
                     *             "from": "2026-01-01T00:00:00Z"
                     *           },
                     *           "progress": {
                     *             "rows_written": 1440,
                     *             "total_rows": 1440,
                     *             "files_written": 0
                     *           },
                     *           "content_type": "application/fhir+ndjson",
                     *           "size_bytes": 524288,
                     *           "error": null,
                     *           "created_at": "2026-12-06T08:30:00.000Z",
                     *           "updated_at": "2026-12-06T08:30:04.000Z",
                     *           "completed_at": "2026-12-06T08:30:04.000Z",
                     *           "expires_at": "2026-12-13T08:30:04.000Z",
                     *           "download_url": "http://127.0.0.1:8787/v1/me/exports/0193a0c3-4d5e-7f6a-8b7c-8d9e0f1a2b34/download?token=eyJhbGciOiJFUzI1NiJ9.e30.sig",
                     *           "requested_by": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11"
                     *         }
                     *       ],
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": components["schemas"]["ExportList"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createMyExport: {
        parameters: {
            query?: {
                /** @description Whose data (default: yours). A custodian names the dependent they are linked to. */
                user_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "format": "fhir-ndjson",
                 *       "include_files": false,
                 *       "filters": {
                 *         "categories": [
                 *           "vital_signs"
                 *         ],
                 *         "from": "2026-01-01T00:00:00Z"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ExportRequest"];
            };
        };
        responses: {
            /** @description Queued. */
            202: {
                headers: {
                    /** @description The export's status URL. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "export_id": "0193a0c3-4d5e-7f6a-8b7c-8d9e0f1a2b34",
                     *       "status": "queued",
                     *       "status_url": "http://127.0.0.1:8787/v1/me/exports/0193a0c3-4d5e-7f6a-8b7c-8d9e0f1a2b34"
                     *     }
                     */
                    "application/json": components["schemas"]["ExportAccepted"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Three exports are already queued or running (`rate_limited`, with `Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/rate_limited",
                     *       "title": "Too many requests",
                     *       "status": 429,
                     *       "detail": "Three exports are queued or running. Wait for one to finish.",
                     *       "code": "rate_limited",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMyExport: {
        parameters: {
            query?: {
                /** @description Whose data (default: yours). A custodian names the dependent they are linked to. */
                user_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0193a0c3-4d5e-7f6a-8b7c-8d9e0f1a2b34",
                     *       "status": "completed",
                     *       "format": "fhir-ndjson",
                     *       "include_files": false,
                     *       "filters": {
                     *         "categories": [
                     *           "vital_signs"
                     *         ],
                     *         "from": "2026-01-01T00:00:00Z"
                     *       },
                     *       "progress": {
                     *         "rows_written": 1440,
                     *         "total_rows": 1440,
                     *         "files_written": 0
                     *       },
                     *       "content_type": "application/fhir+ndjson",
                     *       "size_bytes": 524288,
                     *       "error": null,
                     *       "created_at": "2026-12-06T08:30:00.000Z",
                     *       "updated_at": "2026-12-06T08:30:04.000Z",
                     *       "completed_at": "2026-12-06T08:30:04.000Z",
                     *       "expires_at": "2026-12-13T08:30:04.000Z",
                     *       "download_url": "http://127.0.0.1:8787/v1/me/exports/0193a0c3-4d5e-7f6a-8b7c-8d9e0f1a2b34/download?token=eyJhbGciOiJFUzI1NiJ9.e30.sig",
                     *       "requested_by": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11"
                     *     }
                     */
                    "application/json": components["schemas"]["Export"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    downloadMyExport: {
        parameters: {
            query: {
                /** @description The signature from `download_url`. */
                token: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export: JSON, CSV, FHIR NDJSON, or a ZIP archive with the original files. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example {"resourceType":"Observation","id":"0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f","extension":[{"url":"http://127.0.0.1:8787/fhir/StructureDefinition/observation-source","valueString":"manual"}],"status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs","display":"Vital Signs"}]},{"coding":[{"system":"http://127.0.0.1:8787/fhir/CodeSystem/variable-category","code":"vital_signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"},{"system":"http://127.0.0.1:8787/fhir/CodeSystem/variable","code":"heart-rate","display":"Heart rate"}],"text":"Heart rate"},"subject":{"reference":"Patient/0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11"},"effectiveDateTime":"2026-12-06T07:00:00Z","issued":"2026-12-06T08:30:04Z","valueQuantity":{"value":62,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}} */
                    "application/fhir+ndjson": string;
                    /**
                     * @example id,start_at,end_at,variable,variable_name,category,value_type,value,comparator,unit,original_value,original_unit,source,is_valid,is_outlier,note,file_id,status,code_system,code,code_display
                     *     0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f,2026-12-06T07:00:00Z,,heart-rate,Heart rate,vital_signs,numeric,62,,/min,62,/min,manual,true,false,,,stored,,,
                     */
                    "text/csv": string;
                    /**
                     * @example {
                     *       "export": {
                     *         "id": "0193a0c3-4d5e-7f6a-8b7c-8d9e0f1a2b34",
                     *         "format": "json",
                     *         "exported_at": "2026-12-06T08:30:04.000Z",
                     *         "filters": {
                     *           "categories": [
                     *             "vital_signs"
                     *           ],
                     *           "from": "2026-01-01T00:00:00Z"
                     *         }
                     *       },
                     *       "person": {
                     *         "id": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11"
                     *       },
                     *       "observations": [
                     *         {
                     *           "id": "0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
                     *           "variable": {
                     *             "id": "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
                     *             "version": 1,
                     *             "slug": "heart-rate",
                     *             "name": "Heart rate",
                     *             "category": "vital_signs"
                     *           },
                     *           "start_at": "2026-12-06T07:00:00Z",
                     *           "end_at": null,
                     *           "value": 62,
                     *           "comparator": null,
                     *           "value_code": null,
                     *           "value_text": null,
                     *           "value_boolean": null,
                     *           "unit": "/min",
                     *           "original": {
                     *             "value": 62,
                     *             "unit": "/min"
                     *           },
                     *           "source": "manual",
                     *           "flags": {
                     *             "valid": true,
                     *             "outlier": false
                     *           },
                     *           "note": null,
                     *           "job_id": "0193a0c1-2b3c-7d4e-8f5a-6b7c8d9e0f12",
                     *           "file_id": null,
                     *           "created_at": "2026-12-06T08:30:04Z",
                     *           "value_type": "numeric"
                     *         }
                     *       ],
                     *       "pending": []
                     *     }
                     */
                    "application/json": Record<string, never>;
                    "application/zip": string;
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The link is not valid for this export, or its holder may no longer act for the owner (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "This download link is not valid.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The link has expired, or the export is no longer stored (`gone`). */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/gone",
                     *       "title": "Gone",
                     *       "status": 410,
                     *       "detail": "This download link has expired. Ask for a new export.",
                     *       "code": "gone",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listObservations: {
        parameters: {
            query?: {
                /** @description A variable id, or a coding as `system|code` (e.g. `http://loinc.org|8867-4`). */
                variable?: string;
                /** @description Earliest start_at (inclusive). */
                from?: string;
                /** @description Latest start_at (exclusive); after `from`. */
                to?: string;
                /** @description Source slug. */
                source?: string;
                /** @description Whose record (default: the signed-in user). Another person's record needs their consent grant (or a custodian link); the answer is then limited to what the grant opens. Required for an app acting for itself. */
                user_id?: string;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Page size (1–200). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of observations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
                     *           "variable": {
                     *             "id": "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
                     *             "version": 1,
                     *             "slug": "heart-rate",
                     *             "name": "Heart rate",
                     *             "category": "vital_signs"
                     *           },
                     *           "start_at": "2026-12-06T07:00:00.000Z",
                     *           "end_at": null,
                     *           "value": 62,
                     *           "comparator": null,
                     *           "value_code": null,
                     *           "value_text": null,
                     *           "value_boolean": null,
                     *           "unit": "/min",
                     *           "original": {
                     *             "value": 62,
                     *             "unit": "/min"
                     *           },
                     *           "source": "manual",
                     *           "flags": {
                     *             "valid": true,
                     *             "outlier": false
                     *           },
                     *           "note": null,
                     *           "job_id": "0193a0c1-2b3c-7d4e-8f5a-6b7c8d9e0f12",
                     *           "file_id": null,
                     *           "created_at": "2026-12-06T08:30:04.000Z"
                     *         }
                     *       ],
                     *       "next_cursor": "eyJ2IjoxLCJrIjpbIjIwMjYtMTItMDZUMDc6MDA6MDBaIl19"
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["Observation"][];
                        /** @description Pass as `cursor` to get the next page; null on the last page. */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    summarizeObservations: {
        parameters: {
            query: {
                /** @description A variable id, or a coding as `system|code` (e.g. `http://loinc.org|8867-4`). */
                variable: string;
                /** @description Start of the window (inclusive). */
                from: string;
                /** @description End of the window (exclusive); after `from`. */
                to: string;
                /** @description Bucket width. */
                bucket?: "hour" | "day" | "week" | "month";
                /** @description IANA time zone the buckets align to. */
                tz?: string;
                /** @description Also count values flagged invalid (outside the valid range). */
                include_invalid?: "true" | "false";
                /** @description Whose record (default: the signed-in user). Another person's record needs their consent grant (or a custodian link); the answer is then limited to what the grant opens. Required for an app acting for itself. */
                user_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The buckets, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "variable": {
                     *         "id": "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
                     *         "slug": "heart-rate",
                     *         "unit": "/min",
                     *         "combination_operation": "mean"
                     *       },
                     *       "bucket": "day",
                     *       "tz": "America/New_York",
                     *       "data": [
                     *         {
                     *           "start": "2026-03-01T05:00:00.000Z",
                     *           "count": 3,
                     *           "min": 58,
                     *           "max": 66,
                     *           "mean": 62,
                     *           "sum": 186,
                     *           "value": 62
                     *         },
                     *         {
                     *           "start": "2026-03-02T05:00:00.000Z",
                     *           "count": 2,
                     *           "min": 60,
                     *           "max": 64,
                     *           "mean": 62,
                     *           "sum": 124,
                     *           "value": 62
                     *         },
                     *         {
                     *           "start": "2026-03-04T05:00:00.000Z",
                     *           "count": 4,
                     *           "min": 57,
                     *           "max": 71,
                     *           "mean": 63.5,
                     *           "sum": 254,
                     *           "value": 63.5
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ObservationSummary"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listConsents: {
        parameters: {
            query?: {
                /** @description Whose side of the grants. */
                as?: "owner" | "grantee";
                status?: "active" | "all";
                /** @description Whose grants (default: the signed-in user); a custodian names their dependent. */
                user_id?: string;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Page size (1–200). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of grants. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "0193a0c4-5e6f-7a7b-9c8d-9e0f1a2b3c45",
                     *           "owner_id": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
                     *           "grantee": {
                     *             "type": "user",
                     *             "id": "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22"
                     *           },
                     *           "actions": [
                     *             "read"
                     *           ],
                     *           "scope": {
                     *             "categories": [
                     *               "vital_signs"
                     *             ],
                     *             "variable_ids": []
                     *           },
                     *           "data_window": {
                     *             "from": "2026-01-01T00:00:00.000Z",
                     *             "to": null
                     *           },
                     *           "expires_at": "2027-12-31T00:00:00.000Z",
                     *           "purpose": "My cardiologist follows my resting heart rate.",
                     *           "document_hash": null,
                     *           "status": "active",
                     *           "granted_by": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
                     *           "via": "api",
                     *           "created_at": "2026-12-06T08:30:00.000Z",
                     *           "revoked_at": null
                     *         }
                     *       ],
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["Consent"][];
                        /** @description Pass as `cursor` to get the next page; null on the last page. */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createConsent: {
        parameters: {
            query?: {
                /** @description Whose data (default: the signed-in user); a custodian names their dependent. */
                user_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "grantee": {
                 *         "type": "user",
                 *         "id": "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22"
                 *       },
                 *       "actions": [
                 *         "read"
                 *       ],
                 *       "scope": {
                 *         "categories": [
                 *           "vital_signs"
                 *         ]
                 *       },
                 *       "data_window": {
                 *         "from": "2026-01-01T00:00:00Z"
                 *       },
                 *       "expires_at": "2027-12-31T00:00:00Z",
                 *       "purpose": "My cardiologist follows my resting heart rate."
                 *     }
                 */
                "application/json": components["schemas"]["ConsentGrantRequest"];
            };
        };
        responses: {
            /** @description Granted. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0193a0c4-5e6f-7a7b-9c8d-9e0f1a2b3c45",
                     *       "owner_id": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
                     *       "grantee": {
                     *         "type": "user",
                     *         "id": "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22"
                     *       },
                     *       "actions": [
                     *         "read"
                     *       ],
                     *       "scope": {
                     *         "categories": [
                     *           "vital_signs"
                     *         ],
                     *         "variable_ids": []
                     *       },
                     *       "data_window": {
                     *         "from": "2026-01-01T00:00:00.000Z",
                     *         "to": null
                     *       },
                     *       "expires_at": "2027-12-31T00:00:00.000Z",
                     *       "purpose": "My cardiologist follows my resting heart rate.",
                     *       "document_hash": null,
                     *       "status": "active",
                     *       "granted_by": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
                     *       "via": "api",
                     *       "created_at": "2026-12-06T08:30:00.000Z",
                     *       "revoked_at": null
                     *     }
                     */
                    "application/json": components["schemas"]["Consent"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getConsent: {
        parameters: {
            query?: {
                /** @description Whose data (default: the signed-in user); a custodian names their dependent. */
                user_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The grant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0193a0c4-5e6f-7a7b-9c8d-9e0f1a2b3c45",
                     *       "owner_id": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
                     *       "grantee": {
                     *         "type": "user",
                     *         "id": "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22"
                     *       },
                     *       "actions": [
                     *         "read"
                     *       ],
                     *       "scope": {
                     *         "categories": [
                     *           "vital_signs"
                     *         ],
                     *         "variable_ids": []
                     *       },
                     *       "data_window": {
                     *         "from": "2026-01-01T00:00:00.000Z",
                     *         "to": null
                     *       },
                     *       "expires_at": "2027-12-31T00:00:00.000Z",
                     *       "purpose": "My cardiologist follows my resting heart rate.",
                     *       "document_hash": null,
                     *       "status": "active",
                     *       "granted_by": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
                     *       "via": "api",
                     *       "created_at": "2026-12-06T08:30:00.000Z",
                     *       "revoked_at": null
                     *     }
                     */
                    "application/json": components["schemas"]["Consent"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeConsent: {
        parameters: {
            query?: {
                /** @description Whose data (default: the signed-in user); a custodian names their dependent. */
                user_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createStudy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "slug": "sleep-and-mood-2026",
                 *       "name": "Sleep and mood 2026",
                 *       "description": "Does a night under six hours lower next-day mood? Participants share sleep and mood for 12 weeks."
                 *     }
                 */
                "application/json": {
                    /** @example sleep-and-mood-2026 */
                    slug: string;
                    name: string;
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0193a0c6-7a8b-7c9d-9e0f-1a2b3c4d5e67",
                     *       "slug": "sleep-and-mood-2026",
                     *       "name": "Sleep and mood 2026",
                     *       "description": "Does a night under six hours lower next-day mood? Participants share sleep and mood for 12 weeks.",
                     *       "created_at": "2026-12-06T08:30:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Study"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A study of the tenant already has this slug. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "A study with slug sleep-and-mood-2026 exists.",
                     *       "code": "conflict",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addStudyMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "user_id": "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22"
                 *     }
                 */
                "application/json": {
                    /** Format: uuid */
                    user_id: string;
                };
            };
        };
        responses: {
            /** @description A member (now or already). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listStudyObservations: {
        parameters: {
            query?: {
                /** @description A variable id, or a coding as `system|code` (e.g. `http://loinc.org|8867-4`). */
                variable?: string;
                category?: "vital_signs" | "laboratory" | "physical_activity" | "sleep" | "body_composition" | "nutrition" | "symptoms" | "mood" | "treatments" | "supplements" | "conditions" | "environment" | "cardiovascular" | "respiratory" | "reproductive_health" | "cognitive" | "activities" | "immunizations";
                /** @description Earliest start_at (inclusive). */
                from?: string;
                /** @description Latest start_at (exclusive); after `from`. */
                to?: string;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Page size (1–200). */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of pseudonymized observations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "subject_id": "5c1e9a7b-3d2f-4b8e-9a6c-0f1e2d3c4b5a",
                     *           "variable": {
                     *             "id": "9f2d1f4e-3b5a-5c8d-8e7f-1a2b3c4d5e6f",
                     *             "slug": "heart-rate",
                     *             "name": "Heart rate",
                     *             "category": "vital_signs"
                     *           },
                     *           "start_at": "2026-12-06T07:00:00.000Z",
                     *           "end_at": null,
                     *           "value": 62,
                     *           "value_code": null,
                     *           "value_boolean": null,
                     *           "unit": "/min",
                     *           "flags": {
                     *             "valid": true,
                     *             "outlier": false
                     *           }
                     *         }
                     *       ],
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["StudyObservation"][];
                        /** @description Pass as `cursor` to get the next page; null on the last page. */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createCustodianLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "custodian_id": "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22",
                 *       "dependent_id": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11"
                 *     }
                 */
                "application/json": components["schemas"]["CustodianLink"];
            };
        };
        responses: {
            /** @description Linked. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "custodian_id": "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22",
                     *       "dependent_id": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11"
                     *     }
                     */
                    "application/json": components["schemas"]["CustodianLink"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteCustodianLink: {
        parameters: {
            query: {
                custodian_id: string;
                dependent_id: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unlinked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startTotpEnrolment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret to add to an authenticator app. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "secret": "JBSWY3DPEHPK3PXP",
                     *       "otpauth_uri": "otpauth://totp/dFDA:ada%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=dFDA"
                     *     }
                     */
                    "application/json": components["schemas"]["TotpEnrolment"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Two-step verification is already on. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "Two-step verification is already on. Turn it off first.",
                     *       "code": "conflict",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    disableTotp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "code": "492039"
                 *     }
                 */
                "application/json": {
                    /**
                     * @description A current code, or a recovery code.
                     * @example 492039
                     */
                    code: string;
                };
            };
        };
        responses: {
            /** @description Two-step verification is off; recovery codes are deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many wrong codes (`too_many_attempts`, with `Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/too_many_attempts",
                     *       "title": "Too many failed attempts",
                     *       "status": 429,
                     *       "detail": "Too many wrong codes. Try again later; the owner has been told by e-mail.",
                     *       "code": "too_many_attempts",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    confirmTotpEnrolment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "code": "492039"
                 *     }
                 */
                "application/json": {
                    /** @example 492039 */
                    code: string;
                };
            };
        };
        responses: {
            /** @description Two-step verification is on. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "recovery_codes": [
                     *         "7f3k-9q2m",
                     *         "x4p8-2n6v",
                     *         "c9w2-5r7t",
                     *         "h3j6-8k1z",
                     *         "m5n4-q2w9",
                     *         "p7s3-d6f8",
                     *         "t1y5-u9i4",
                     *         "b8v2-e3r6",
                     *         "g4h7-j2k5",
                     *         "z6x9-c1v3"
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["RecoveryCodes"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listConnectors: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The catalog. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "oura",
                     *           "name": "Oura Ring",
                     *           "data_types": [
                     *             "heart_rate",
                     *             "steps",
                     *             "oxygen_saturation"
                     *           ],
                     *           "auth": "oauth2",
                     *           "status": "available",
                     *           "demo": false
                     *         },
                     *         {
                     *           "id": "withings",
                     *           "name": "Withings",
                     *           "data_types": [
                     *             "weight",
                     *             "body_fat",
                     *             "blood_pressure",
                     *             "heart_rate",
                     *             "body_temperature",
                     *             "oxygen_saturation",
                     *             "steps",
                     *             "active_energy",
                     *             "sleep"
                     *           ],
                     *           "auth": "oauth2",
                     *           "status": "unavailable",
                     *           "demo": false
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["Connector"][];
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    connectorCallback: {
        parameters: {
            query?: {
                state?: string;
                code?: string;
                /** @description RFC 6749 §4.1.2.1: the vendor's refusal. */
                error?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Connected; the first sync is queued. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "connection": {
                     *         "id": "0193a0c7-8b9c-7d0e-8f1a-2b3c4d5e6f78",
                     *         "connector": "oura",
                     *         "status": "syncing",
                     *         "last_sync_at": null,
                     *         "next_sync_at": "2026-12-06T08:30:00.000Z",
                     *         "error": null,
                     *         "imported": 0,
                     *         "created_at": "2026-12-06T08:30:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        connection: components["schemas"]["Connection"];
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    connectorWebhookCheck: {
        parameters: {
            query?: {
                /** @description Oura's verification token. */
                verification_token?: string;
                /** @description Oura's challenge, echoed back. */
                challenge?: string;
                /** @description Fitbit's subscriber verification code. */
                verify?: string;
                /** @description The token in Withings' callback URL. */
                token?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Oura's challenge, echoed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "challenge": "9f8e7d6c5b4a"
                     *     }
                     */
                    "application/json": {
                        challenge: string;
                    };
                };
            };
            /** @description The value matches (Fitbit, Withings). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such connector, or the value does not match. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "The verification value does not match.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    connectorWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Garmin's notification received (its data is queued for the connections it names). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Received (a sync is queued if the vendor user has a connection here). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The vendor's signature is missing or does not match. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "The notification's signature is missing or does not match.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMyConnections: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connections, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "0193a0c7-8b9c-7d0e-8f1a-2b3c4d5e6f78",
                     *           "connector": "oura",
                     *           "status": "active",
                     *           "last_sync_at": "2026-12-06T06:00:00.000Z",
                     *           "next_sync_at": "2026-12-06T12:00:00.000Z",
                     *           "error": null,
                     *           "imported": 8640,
                     *           "created_at": "2026-11-01T19:12:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["Connection"][];
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createMyConnection: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "connector": "oura"
                 *     }
                 */
                "application/json": components["schemas"]["ConnectRequest"];
            };
        };
        responses: {
            /** @description Started. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "authorize_url": "https://cloud.ouraring.com/oauth/authorize?response_type=code&client_id=dfda-example&redirect_uri=http%3A%2F%2F127.0.0.1%3A8787%2Fv1%2Fconnectors%2Foura%2Fcallback&scope=daily%20heartrate%20spo2%20personal&state=c1.eyJjIjoib3VyYSJ9.x9Qk2Lm7",
                     *       "expires_at": "2026-12-06T08:40:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["ConnectStarted"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    syncMyConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The connection's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "connection": {
                     *         "id": "0193a0c7-8b9c-7d0e-8f1a-2b3c4d5e6f78",
                     *         "connector": "oura",
                     *         "status": "syncing",
                     *         "last_sync_at": "2026-12-06T06:00:00.000Z",
                     *         "next_sync_at": "2026-12-06T08:30:00.000Z",
                     *         "error": null,
                     *         "imported": 8640,
                     *         "created_at": "2026-11-01T19:12:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        connection: components["schemas"]["Connection"];
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description It needs you to connect again, or a sync is queued already. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "A sync of this connection is queued already.",
                     *       "code": "conflict",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteMyConnection: {
        parameters: {
            query?: {
                /** @description Also delete the observations that came through this connector. */
                delete_data?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description The connection's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Disconnected. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "deleted_observations": 8640
                     *     }
                     */
                    "application/json": components["schemas"]["ConnectionDeleted"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAdminPlugins: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every plugin of the tenant, enabled or not, by id. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "n-of-1",
                     *           "name": "N-of-1 predictor → outcome analysis",
                     *           "kind": "analysis",
                     *           "version": "1.0.0",
                     *           "enabled": true,
                     *           "service_binding": "PLUGIN_N_OF_1",
                     *           "url": null,
                     *           "manifest": {
                     *             "protocol": 1,
                     *             "id": "n-of-1",
                     *             "version": "1.0.0",
                     *             "kind": "analysis",
                     *             "name": "N-of-1 predictor → outcome analysis",
                     *             "description": "For one person: how a predictor (a treatment, food, supplement, activity, sleep …) relates to an outcome (a symptom, mood, a biomarker), scanning onset delays and durations of action.",
                     *             "data": {
                     *               "categories": [
                     *                 "supplements",
                     *                 "symptoms",
                     *                 "sleep"
                     *               ],
                     *               "resolutions": [
                     *                 "day",
                     *                 "hour"
                     *               ]
                     *             },
                     *             "input_schema": {
                     *               "$schema": "https://json-schema.org/draft/2020-12/schema",
                     *               "oneOf": [
                     *                 {
                     *                   "type": "object",
                     *                   "properties": {
                     *                     "mode": {
                     *                       "const": "pair"
                     *                     },
                     *                     "predictor": {
                     *                       "type": "string"
                     *                     },
                     *                     "outcome": {
                     *                       "type": "string"
                     *                     }
                     *                   },
                     *                   "required": [
                     *                     "mode",
                     *                     "predictor",
                     *                     "outcome"
                     *                   ]
                     *                 },
                     *                 {
                     *                   "type": "object",
                     *                   "properties": {
                     *                     "mode": {
                     *                       "const": "predictor_search"
                     *                     },
                     *                     "outcome": {
                     *                       "type": "string"
                     *                     }
                     *                   },
                     *                   "required": [
                     *                     "mode",
                     *                     "outcome"
                     *                   ]
                     *                 }
                     *               ]
                     *             },
                     *             "output_schema": {
                     *               "$schema": "https://json-schema.org/draft/2020-12/schema",
                     *               "type": "object"
                     *             },
                     *             "limits": {
                     *               "timeout_ms": 60000,
                     *               "max_output_bytes": 16777216
                     *             }
                     *           },
                     *           "registered_by": "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22",
                     *           "created_at": "2026-11-01T09:00:00.000Z",
                     *           "updated_at": "2026-11-01T09:00:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["RegisteredPlugin"][];
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    registerPlugin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "service_binding": "PLUGIN_N_OF_1"
                 *     }
                 */
                "application/json": components["schemas"]["PluginRegistration"];
            };
        };
        responses: {
            /** @description Updated. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "n-of-1",
                     *       "name": "N-of-1 predictor → outcome analysis",
                     *       "kind": "analysis",
                     *       "version": "1.0.0",
                     *       "enabled": true,
                     *       "service_binding": "PLUGIN_N_OF_1",
                     *       "url": null,
                     *       "manifest": {
                     *         "protocol": 1,
                     *         "id": "n-of-1",
                     *         "version": "1.0.0",
                     *         "kind": "analysis",
                     *         "name": "N-of-1 predictor → outcome analysis",
                     *         "description": "For one person: how a predictor (a treatment, food, supplement, activity, sleep …) relates to an outcome (a symptom, mood, a biomarker), scanning onset delays and durations of action.",
                     *         "data": {
                     *           "categories": [
                     *             "supplements",
                     *             "symptoms",
                     *             "sleep"
                     *           ],
                     *           "resolutions": [
                     *             "day",
                     *             "hour"
                     *           ]
                     *         },
                     *         "input_schema": {
                     *           "$schema": "https://json-schema.org/draft/2020-12/schema",
                     *           "oneOf": [
                     *             {
                     *               "type": "object",
                     *               "properties": {
                     *                 "mode": {
                     *                   "const": "pair"
                     *                 },
                     *                 "predictor": {
                     *                   "type": "string"
                     *                 },
                     *                 "outcome": {
                     *                   "type": "string"
                     *                 }
                     *               },
                     *               "required": [
                     *                 "mode",
                     *                 "predictor",
                     *                 "outcome"
                     *               ]
                     *             },
                     *             {
                     *               "type": "object",
                     *               "properties": {
                     *                 "mode": {
                     *                   "const": "predictor_search"
                     *                 },
                     *                 "outcome": {
                     *                   "type": "string"
                     *                 }
                     *               },
                     *               "required": [
                     *                 "mode",
                     *                 "outcome"
                     *               ]
                     *             }
                     *           ]
                     *         },
                     *         "output_schema": {
                     *           "$schema": "https://json-schema.org/draft/2020-12/schema",
                     *           "type": "object"
                     *         },
                     *         "limits": {
                     *           "timeout_ms": 60000,
                     *           "max_output_bytes": 16777216
                     *         }
                     *       },
                     *       "registered_by": "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22",
                     *       "created_at": "2026-11-01T09:00:00.000Z",
                     *       "updated_at": "2026-12-06T08:30:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["RegisteredPlugin"];
                };
            };
            /** @description Registered. */
            201: {
                headers: {
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "n-of-1",
                     *       "name": "N-of-1 predictor → outcome analysis",
                     *       "kind": "analysis",
                     *       "version": "1.0.0",
                     *       "enabled": true,
                     *       "service_binding": "PLUGIN_N_OF_1",
                     *       "url": null,
                     *       "manifest": {
                     *         "protocol": 1,
                     *         "id": "n-of-1",
                     *         "version": "1.0.0",
                     *         "kind": "analysis",
                     *         "name": "N-of-1 predictor → outcome analysis",
                     *         "description": "For one person: how a predictor (a treatment, food, supplement, activity, sleep …) relates to an outcome (a symptom, mood, a biomarker), scanning onset delays and durations of action.",
                     *         "data": {
                     *           "categories": [
                     *             "supplements",
                     *             "symptoms",
                     *             "sleep"
                     *           ],
                     *           "resolutions": [
                     *             "day",
                     *             "hour"
                     *           ]
                     *         },
                     *         "input_schema": {
                     *           "$schema": "https://json-schema.org/draft/2020-12/schema",
                     *           "oneOf": [
                     *             {
                     *               "type": "object",
                     *               "properties": {
                     *                 "mode": {
                     *                   "const": "pair"
                     *                 },
                     *                 "predictor": {
                     *                   "type": "string"
                     *                 },
                     *                 "outcome": {
                     *                   "type": "string"
                     *                 }
                     *               },
                     *               "required": [
                     *                 "mode",
                     *                 "predictor",
                     *                 "outcome"
                     *               ]
                     *             },
                     *             {
                     *               "type": "object",
                     *               "properties": {
                     *                 "mode": {
                     *                   "const": "predictor_search"
                     *                 },
                     *                 "outcome": {
                     *                   "type": "string"
                     *                 }
                     *               },
                     *               "required": [
                     *                 "mode",
                     *                 "outcome"
                     *               ]
                     *             }
                     *           ]
                     *         },
                     *         "output_schema": {
                     *           "$schema": "https://json-schema.org/draft/2020-12/schema",
                     *           "type": "object"
                     *         },
                     *         "limits": {
                     *           "timeout_ms": 60000,
                     *           "max_output_bytes": 16777216
                     *         }
                     *       },
                     *       "registered_by": "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22",
                     *       "created_at": "2026-11-01T09:00:00.000Z",
                     *       "updated_at": "2026-11-01T09:00:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["RegisteredPlugin"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `binding_not_found` (the API Worker has no such binding) or `invalid_manifest` (the plugin answered a manifest the platform does not accept; `errors` points into it). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/binding_not_found",
                     *       "title": "No such service binding",
                     *       "status": 422,
                     *       "detail": "The API Worker has no service binding PLUGIN_SLEEP.",
                     *       "code": "binding_not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The plugin could not be used: `plugin_unreachable`, `plugin_failed`, `plugin_invalid_output`, `plugin_output_too_large`. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/plugin_unreachable",
                     *       "title": "The plugin could not be reached",
                     *       "status": 502,
                     *       "detail": "The plugin could not be reached: connection refused",
                     *       "code": "plugin_unreachable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `plugin_timeout`: describe() did not answer in time. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/plugin_timeout",
                     *       "title": "The plugin did not answer in time",
                     *       "status": 504,
                     *       "detail": "describe() did not answer in time.",
                     *       "code": "plugin_timeout",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAdminPlugin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The plugin. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "n-of-1",
                     *       "name": "N-of-1 predictor → outcome analysis",
                     *       "kind": "analysis",
                     *       "version": "1.0.0",
                     *       "enabled": true,
                     *       "service_binding": "PLUGIN_N_OF_1",
                     *       "url": null,
                     *       "manifest": {
                     *         "protocol": 1,
                     *         "id": "n-of-1",
                     *         "version": "1.0.0",
                     *         "kind": "analysis",
                     *         "name": "N-of-1 predictor → outcome analysis",
                     *         "description": "For one person: how a predictor (a treatment, food, supplement, activity, sleep …) relates to an outcome (a symptom, mood, a biomarker), scanning onset delays and durations of action.",
                     *         "data": {
                     *           "categories": [
                     *             "supplements",
                     *             "symptoms",
                     *             "sleep"
                     *           ],
                     *           "resolutions": [
                     *             "day",
                     *             "hour"
                     *           ]
                     *         },
                     *         "input_schema": {
                     *           "$schema": "https://json-schema.org/draft/2020-12/schema",
                     *           "oneOf": [
                     *             {
                     *               "type": "object",
                     *               "properties": {
                     *                 "mode": {
                     *                   "const": "pair"
                     *                 },
                     *                 "predictor": {
                     *                   "type": "string"
                     *                 },
                     *                 "outcome": {
                     *                   "type": "string"
                     *                 }
                     *               },
                     *               "required": [
                     *                 "mode",
                     *                 "predictor",
                     *                 "outcome"
                     *               ]
                     *             },
                     *             {
                     *               "type": "object",
                     *               "properties": {
                     *                 "mode": {
                     *                   "const": "predictor_search"
                     *                 },
                     *                 "outcome": {
                     *                   "type": "string"
                     *                 }
                     *               },
                     *               "required": [
                     *                 "mode",
                     *                 "outcome"
                     *               ]
                     *             }
                     *           ]
                     *         },
                     *         "output_schema": {
                     *           "$schema": "https://json-schema.org/draft/2020-12/schema",
                     *           "type": "object"
                     *         },
                     *         "limits": {
                     *           "timeout_ms": 60000,
                     *           "max_output_bytes": 16777216
                     *         }
                     *       },
                     *       "registered_by": "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22",
                     *       "created_at": "2026-11-01T09:00:00.000Z",
                     *       "updated_at": "2026-11-01T09:00:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["RegisteredPlugin"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteAdminPlugin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateAdminPlugin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "enabled": false
                 *     }
                 */
                "application/json": {
                    enabled: boolean;
                };
            };
        };
        responses: {
            /** @description The plugin, changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "n-of-1",
                     *       "name": "N-of-1 predictor → outcome analysis",
                     *       "kind": "analysis",
                     *       "version": "1.0.0",
                     *       "enabled": false,
                     *       "service_binding": "PLUGIN_N_OF_1",
                     *       "url": null,
                     *       "manifest": {
                     *         "protocol": 1,
                     *         "id": "n-of-1",
                     *         "version": "1.0.0",
                     *         "kind": "analysis",
                     *         "name": "N-of-1 predictor → outcome analysis",
                     *         "description": "For one person: how a predictor (a treatment, food, supplement, activity, sleep …) relates to an outcome (a symptom, mood, a biomarker), scanning onset delays and durations of action.",
                     *         "data": {
                     *           "categories": [
                     *             "supplements",
                     *             "symptoms",
                     *             "sleep"
                     *           ],
                     *           "resolutions": [
                     *             "day",
                     *             "hour"
                     *           ]
                     *         },
                     *         "input_schema": {
                     *           "$schema": "https://json-schema.org/draft/2020-12/schema",
                     *           "oneOf": [
                     *             {
                     *               "type": "object",
                     *               "properties": {
                     *                 "mode": {
                     *                   "const": "pair"
                     *                 },
                     *                 "predictor": {
                     *                   "type": "string"
                     *                 },
                     *                 "outcome": {
                     *                   "type": "string"
                     *                 }
                     *               },
                     *               "required": [
                     *                 "mode",
                     *                 "predictor",
                     *                 "outcome"
                     *               ]
                     *             },
                     *             {
                     *               "type": "object",
                     *               "properties": {
                     *                 "mode": {
                     *                   "const": "predictor_search"
                     *                 },
                     *                 "outcome": {
                     *                   "type": "string"
                     *                 }
                     *               },
                     *               "required": [
                     *                 "mode",
                     *                 "outcome"
                     *               ]
                     *             }
                     *           ]
                     *         },
                     *         "output_schema": {
                     *           "$schema": "https://json-schema.org/draft/2020-12/schema",
                     *           "type": "object"
                     *         },
                     *         "limits": {
                     *           "timeout_ms": 60000,
                     *           "max_output_bytes": 16777216
                     *         }
                     *       },
                     *       "registered_by": "0193a0b4-7e2f-7d3b-8a4c-3b5d7f9a1b22",
                     *       "created_at": "2026-11-01T09:00:00.000Z",
                     *       "updated_at": "2026-12-06T08:30:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["RegisteredPlugin"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listPlugins: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The enabled plugins, by id. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "n-of-1",
                     *           "name": "N-of-1 predictor → outcome analysis",
                     *           "kind": "analysis",
                     *           "version": "1.0.0",
                     *           "description": "For one person: how a predictor (a treatment, food, supplement, activity, sleep …) relates to an outcome (a symptom, mood, a biomarker), scanning onset delays and durations of action.",
                     *           "homepage": null,
                     *           "data": {
                     *             "categories": [
                     *               "supplements",
                     *               "symptoms",
                     *               "sleep"
                     *             ],
                     *             "resolutions": [
                     *               "day",
                     *               "hour"
                     *             ]
                     *           },
                     *           "input_schema": {
                     *             "$schema": "https://json-schema.org/draft/2020-12/schema",
                     *             "oneOf": [
                     *               {
                     *                 "type": "object",
                     *                 "properties": {
                     *                   "mode": {
                     *                     "const": "pair"
                     *                   },
                     *                   "predictor": {
                     *                     "type": "string"
                     *                   },
                     *                   "outcome": {
                     *                     "type": "string"
                     *                   }
                     *                 },
                     *                 "required": [
                     *                   "mode",
                     *                   "predictor",
                     *                   "outcome"
                     *                 ]
                     *               },
                     *               {
                     *                 "type": "object",
                     *                 "properties": {
                     *                   "mode": {
                     *                     "const": "predictor_search"
                     *                   },
                     *                   "outcome": {
                     *                     "type": "string"
                     *                   }
                     *                 },
                     *                 "required": [
                     *                   "mode",
                     *                   "outcome"
                     *                 ]
                     *               }
                     *             ]
                     *           },
                     *           "output_schema": {
                     *             "$schema": "https://json-schema.org/draft/2020-12/schema",
                     *             "type": "object"
                     *           }
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["AvailablePlugin"][];
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAnalyses: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Page size (1–200). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of analyses. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "0193a0c8-9c0d-7e1f-9a2b-3c4d5e6f7a89",
                     *           "plugin": "n-of-1",
                     *           "plugin_version": "1.0.0",
                     *           "status": "succeeded",
                     *           "progress": 1,
                     *           "input": {
                     *             "mode": "pair",
                     *             "predictor": "magnesium",
                     *             "outcome": "headache"
                     *           },
                     *           "result": {
                     *             "mode": "pair",
                     *             "relationship": {
                     *               "predictor": {
                     *                 "slug": "magnesium",
                     *                 "name": "Magnesium",
                     *                 "unit": "mg"
                     *               },
                     *               "outcome": {
                     *                 "slug": "headache",
                     *                 "name": "Headache",
                     *                 "unit": "{score}"
                     *               },
                     *               "delay_hours": 24,
                     *               "duration_hours": 48,
                     *               "pearson": -0.41,
                     *               "spearman": -0.38,
                     *               "p_value": 0.0004,
                     *               "n_pairs": 92,
                     *               "reverse_pearson": -0.08,
                     *               "effect": {
                     *                 "baseline_mean": 3.9,
                     *                 "high_mean": 2.6,
                     *                 "percent_change": -33.3,
                     *                 "t": -3.7,
                     *                 "p_value": 0.0004
                     *               },
                     *               "optimal_value": {
                     *                 "value": 400,
                     *                 "ci_low": 300,
                     *                 "ci_high": 500,
                     *                 "level": 0.95
                     *               },
                     *               "worst_value": {
                     *                 "value": 0,
                     *                 "ci_low": 0,
                     *                 "ci_high": 100,
                     *                 "level": 0.95
                     *               },
                     *               "higher_outcome_is_better": false,
                     *               "score": 0.62,
                     *               "grade": "B",
                     *               "sufficiency": {
                     *                 "sufficient": true,
                     *                 "reasons": [],
                     *                 "n_pairs": 92,
                     *                 "predictor_changes": 18,
                     *                 "outcome_changes": 41,
                     *                 "baseline_fraction": 0.45,
                     *                 "follow_up_fraction": 0.55
                     *               }
                     *             },
                     *             "delay_curve": [
                     *               {
                     *                 "delay_hours": 0,
                     *                 "duration_hours": 24,
                     *                 "pearson": -0.22,
                     *                 "n_pairs": 93
                     *               },
                     *               {
                     *                 "delay_hours": 24,
                     *                 "duration_hours": 48,
                     *                 "pearson": -0.41,
                     *                 "n_pairs": 92
                     *               }
                     *             ],
                     *             "pairs": [
                     *               {
                     *                 "t": "2026-09-01T00:00:00.000Z",
                     *                 "predictor": 0,
                     *                 "outcome": 5
                     *               },
                     *               {
                     *                 "t": "2026-09-02T00:00:00.000Z",
                     *                 "predictor": 400,
                     *                 "outcome": 2
                     *               }
                     *             ],
                     *             "fit": {
                     *               "slope": -0.0042,
                     *               "intercept": 3.9
                     *             },
                     *             "window": {
                     *               "start": "2026-09-01T00:00:00.000Z",
                     *               "end": "2026-12-01T00:00:00.000Z"
                     *             }
                     *           },
                     *           "problem": null,
                     *           "data_window": {
                     *             "from": "2026-09-01T00:00:00.000Z",
                     *             "to": "2026-12-01T00:00:00.000Z",
                     *             "through": "2026-11-30T21:00:00.000Z"
                     *           },
                     *           "recompute": true,
                     *           "runs": 1,
                     *           "requested_by": {
                     *             "user_id": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
                     *             "client_id": null
                     *           },
                     *           "created_at": "2026-12-06T08:30:00.000Z",
                     *           "updated_at": "2026-12-06T08:30:04.000Z",
                     *           "finished_at": "2026-12-06T08:30:04.000Z"
                     *         }
                     *       ],
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["Analysis"][];
                        /** @description Pass as `cursor` to get the next page; null on the last page. */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createAnalysis: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "plugin": "n-of-1",
                 *       "input": {
                 *         "mode": "pair",
                 *         "predictor": "magnesium",
                 *         "outcome": "headache"
                 *       },
                 *       "recompute": true
                 *     }
                 */
                "application/json": components["schemas"]["AnalysisRequest"];
            };
        };
        responses: {
            /** @description Queued. */
            202: {
                headers: {
                    /**
                     * @description The analysis (`GET`).
                     * @example http://127.0.0.1:8787/v1/analyses/0193a0c8-9c0d-7e1f-9a2b-3c4d5e6f7a89
                     */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0193a0c8-9c0d-7e1f-9a2b-3c4d5e6f7a89",
                     *       "plugin": "n-of-1",
                     *       "plugin_version": "1.0.0",
                     *       "status": "queued",
                     *       "progress": 0,
                     *       "input": {
                     *         "mode": "pair",
                     *         "predictor": "magnesium",
                     *         "outcome": "headache"
                     *       },
                     *       "result": null,
                     *       "problem": null,
                     *       "data_window": {
                     *         "from": null,
                     *         "to": null,
                     *         "through": null
                     *       },
                     *       "recompute": true,
                     *       "runs": 0,
                     *       "requested_by": {
                     *         "user_id": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
                     *         "client_id": null
                     *       },
                     *       "created_at": "2026-12-06T08:30:00.000Z",
                     *       "updated_at": "2026-12-06T08:30:00.000Z",
                     *       "finished_at": null
                     *     }
                     */
                    "application/json": components["schemas"]["Analysis"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The input does not match the plugin's input schema (`plugin_invalid_input`, with `errors`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/plugin_invalid_input",
                     *       "title": "The input does not match the plugin's input schema",
                     *       "status": 422,
                     *       "detail": "The input does not match n-of-1's input schema: input.outcome: must have required property 'outcome'",
                     *       "code": "plugin_invalid_input",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "body",
                     *           "path": "input.outcome",
                     *           "pointer": "/input/outcome",
                     *           "message": "must have required property 'outcome'"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAnalysis: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The analysis. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0193a0c8-9c0d-7e1f-9a2b-3c4d5e6f7a89",
                     *       "plugin": "n-of-1",
                     *       "plugin_version": "1.0.0",
                     *       "status": "succeeded",
                     *       "progress": 1,
                     *       "input": {
                     *         "mode": "pair",
                     *         "predictor": "magnesium",
                     *         "outcome": "headache"
                     *       },
                     *       "result": {
                     *         "mode": "pair",
                     *         "relationship": {
                     *           "predictor": {
                     *             "slug": "magnesium",
                     *             "name": "Magnesium",
                     *             "unit": "mg"
                     *           },
                     *           "outcome": {
                     *             "slug": "headache",
                     *             "name": "Headache",
                     *             "unit": "{score}"
                     *           },
                     *           "delay_hours": 24,
                     *           "duration_hours": 48,
                     *           "pearson": -0.41,
                     *           "spearman": -0.38,
                     *           "p_value": 0.0004,
                     *           "n_pairs": 92,
                     *           "reverse_pearson": -0.08,
                     *           "effect": {
                     *             "baseline_mean": 3.9,
                     *             "high_mean": 2.6,
                     *             "percent_change": -33.3,
                     *             "t": -3.7,
                     *             "p_value": 0.0004
                     *           },
                     *           "optimal_value": {
                     *             "value": 400,
                     *             "ci_low": 300,
                     *             "ci_high": 500,
                     *             "level": 0.95
                     *           },
                     *           "worst_value": {
                     *             "value": 0,
                     *             "ci_low": 0,
                     *             "ci_high": 100,
                     *             "level": 0.95
                     *           },
                     *           "higher_outcome_is_better": false,
                     *           "score": 0.62,
                     *           "grade": "B",
                     *           "sufficiency": {
                     *             "sufficient": true,
                     *             "reasons": [],
                     *             "n_pairs": 92,
                     *             "predictor_changes": 18,
                     *             "outcome_changes": 41,
                     *             "baseline_fraction": 0.45,
                     *             "follow_up_fraction": 0.55
                     *           }
                     *         },
                     *         "delay_curve": [
                     *           {
                     *             "delay_hours": 0,
                     *             "duration_hours": 24,
                     *             "pearson": -0.22,
                     *             "n_pairs": 93
                     *           },
                     *           {
                     *             "delay_hours": 24,
                     *             "duration_hours": 48,
                     *             "pearson": -0.41,
                     *             "n_pairs": 92
                     *           }
                     *         ],
                     *         "pairs": [
                     *           {
                     *             "t": "2026-09-01T00:00:00.000Z",
                     *             "predictor": 0,
                     *             "outcome": 5
                     *           },
                     *           {
                     *             "t": "2026-09-02T00:00:00.000Z",
                     *             "predictor": 400,
                     *             "outcome": 2
                     *           }
                     *         ],
                     *         "fit": {
                     *           "slope": -0.0042,
                     *           "intercept": 3.9
                     *         },
                     *         "window": {
                     *           "start": "2026-09-01T00:00:00.000Z",
                     *           "end": "2026-12-01T00:00:00.000Z"
                     *         }
                     *       },
                     *       "problem": null,
                     *       "data_window": {
                     *         "from": "2026-09-01T00:00:00.000Z",
                     *         "to": "2026-12-01T00:00:00.000Z",
                     *         "through": "2026-11-30T21:00:00.000Z"
                     *       },
                     *       "recompute": true,
                     *       "runs": 1,
                     *       "requested_by": {
                     *         "user_id": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
                     *         "client_id": null
                     *       },
                     *       "created_at": "2026-12-06T08:30:00.000Z",
                     *       "updated_at": "2026-12-06T08:30:04.000Z",
                     *       "finished_at": "2026-12-06T08:30:04.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Analysis"];
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getVisualization: {
        parameters: {
            query?: {
                /** @description timeline: up to 8 variable slugs, comma-separated (`heart-rate,steps`); heatmap: one. Default: the variable the person recorded most recently. */
                variables?: string;
                /** @description Start of the window (default: `to` − 30 days). */
                from?: string;
                /** @description End of the window, exclusive (default: now). */
                to?: string;
                /** @description scatter, delay-curve, outcome-label: one of your succeeded analyses. */
                analysis?: string;
                /** @description Whose record (default: the signed-in user). Another person's record needs their consent grant (or a custodian link); the answer is then limited to what the grant opens. Required for an app acting for itself. */
                user_id?: string;
                /** @description `png`: the same chart rasterized (at twice its size with `scale=2`). */
                format?: "svg" | "png";
                /** @description png: pixels per SVG unit. */
                scale?: number;
                title?: string;
                width?: number;
                height?: number;
                /** @description heatmap: the IANA zone of hours and weekdays. */
                timezone?: string;
                /** @description outcome-label: predictors listed. */
                top?: number;
            };
            header?: never;
            path: {
                kind: "timeline" | "scatter" | "delay-curve" | "outcome-label" | "heatmap";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The chart. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <svg xmlns="http://www.w3.org/2000/svg" width="800" height="400" viewBox="0 0 800 400" role="img" aria-label="Heart rate (/min)"><title>Heart rate (/min)</title><polyline fill="none" stroke="#1f77b4" points="40,220 160,210 280,232 400,205 520,214 640,199 760,208"/></svg> */
                    "image/svg+xml": string;
                    "image/png": string;
                };
            };
            /** @description Invalid request (`validation_failed`, `invalid_cursor`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/validation_failed",
                     *       "title": "The request is not valid",
                     *       "status": 400,
                     *       "detail": "Invalid query limit.",
                     *       "code": "validation_failed",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11",
                     *       "errors": [
                     *         {
                     *           "location": "query",
                     *           "path": "limit",
                     *           "pointer": "/limit",
                     *           "message": "Too big: expected number to be <=200"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/unauthorized",
                     *       "title": "Authentication is required",
                     *       "status": 401,
                     *       "detail": "This route needs a bearer access token.",
                     *       "code": "unauthorized",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks a scope or role (`forbidden`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reason": "insufficient_scope",
                     *       "type": "http://127.0.0.1:8787/problems/forbidden",
                     *       "title": "Not allowed",
                     *       "status": 403,
                     *       "detail": "The access token lacks the scope observations:read.",
                     *       "code": "forbidden",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/not_found",
                     *       "title": "Not found",
                     *       "status": 404,
                     *       "detail": "No such record.",
                     *       "code": "not_found",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The analysis has not succeeded (yet). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "The analysis is running; charts draw a succeeded one.",
                     *       "code": "conflict",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the route's limit (`payload_too_large`, with `limit_bytes`; routes that take a body, see docs/operations.md). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "limit_bytes": 1048576,
                     *       "type": "http://127.0.0.1:8787/problems/payload_too_large",
                     *       "title": "Payload too large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than 1,048,576 bytes, the limit for POST /v1/ingest/observations.",
                     *       "code": "payload_too_large",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error; nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/service_unavailable",
                     *       "title": "Service unavailable",
                     *       "status": 503,
                     *       "detail": "The database is unavailable. Retry later; nothing was changed.",
                     *       "code": "service_unavailable",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOpenIdConfiguration: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metadata. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "issuer": "http://127.0.0.1:8787",
                     *       "authorization_endpoint": "http://127.0.0.1:8787/oauth/authorize",
                     *       "token_endpoint": "http://127.0.0.1:8787/oauth/token",
                     *       "device_authorization_endpoint": "http://127.0.0.1:8787/oauth/device_authorization",
                     *       "jwks_uri": "http://127.0.0.1:8787/.well-known/jwks.json",
                     *       "userinfo_endpoint": "http://127.0.0.1:8787/oauth/userinfo",
                     *       "registration_endpoint": "http://127.0.0.1:8787/oauth/register",
                     *       "revocation_endpoint": "http://127.0.0.1:8787/oauth/revoke",
                     *       "introspection_endpoint": "http://127.0.0.1:8787/oauth/introspect",
                     *       "end_session_endpoint": "http://127.0.0.1:8787/oauth/logout",
                     *       "scopes_supported": [
                     *         "openid",
                     *         "profile",
                     *         "email",
                     *         "offline_access",
                     *         "observations:read",
                     *         "observations:write",
                     *         "files:read",
                     *         "files:write",
                     *         "consents:read",
                     *         "consents:manage",
                     *         "profile:write",
                     *         "clients:manage",
                     *         "audit:read",
                     *         "tenant:manage",
                     *         "observations.vital_signs:read",
                     *         "observations.vital_signs:write",
                     *         "observations.laboratory:read",
                     *         "observations.laboratory:write",
                     *         "observations.physical_activity:read",
                     *         "observations.physical_activity:write",
                     *         "observations.sleep:read",
                     *         "observations.sleep:write",
                     *         "observations.body_composition:read",
                     *         "observations.body_composition:write",
                     *         "observations.nutrition:read",
                     *         "observations.nutrition:write",
                     *         "observations.symptoms:read",
                     *         "observations.symptoms:write",
                     *         "observations.mood:read",
                     *         "observations.mood:write",
                     *         "observations.treatments:read",
                     *         "observations.treatments:write",
                     *         "observations.supplements:read",
                     *         "observations.supplements:write",
                     *         "observations.conditions:read",
                     *         "observations.conditions:write",
                     *         "observations.environment:read",
                     *         "observations.environment:write",
                     *         "observations.cardiovascular:read",
                     *         "observations.cardiovascular:write",
                     *         "observations.respiratory:read",
                     *         "observations.respiratory:write",
                     *         "observations.reproductive_health:read",
                     *         "observations.reproductive_health:write",
                     *         "observations.cognitive:read",
                     *         "observations.cognitive:write",
                     *         "observations.activities:read",
                     *         "observations.activities:write",
                     *         "observations.immunizations:read",
                     *         "observations.immunizations:write",
                     *         "fhirUser",
                     *         "launch/patient",
                     *         "patient/Observation.rs",
                     *         "patient/Observation.c",
                     *         "patient/Patient.rs",
                     *         "patient/DocumentReference.rs",
                     *         "patient/DocumentReference.cu",
                     *         "patient/*.rs",
                     *         "user/Observation.rs",
                     *         "user/Observation.c",
                     *         "user/Patient.rs",
                     *         "user/DocumentReference.rs",
                     *         "user/DocumentReference.cu",
                     *         "user/Consent.rs",
                     *         "user/Consent.cud",
                     *         "user/*.rs"
                     *       ],
                     *       "response_types_supported": [
                     *         "code"
                     *       ],
                     *       "response_modes_supported": [
                     *         "query"
                     *       ],
                     *       "grant_types_supported": [
                     *         "authorization_code",
                     *         "refresh_token",
                     *         "client_credentials",
                     *         "urn:ietf:params:oauth:grant-type:device_code"
                     *       ],
                     *       "code_challenge_methods_supported": [
                     *         "S256"
                     *       ],
                     *       "token_endpoint_auth_methods_supported": [
                     *         "client_secret_basic",
                     *         "client_secret_post",
                     *         "none"
                     *       ],
                     *       "revocation_endpoint_auth_methods_supported": [
                     *         "client_secret_basic",
                     *         "client_secret_post",
                     *         "none"
                     *       ],
                     *       "introspection_endpoint_auth_methods_supported": [
                     *         "client_secret_basic",
                     *         "client_secret_post"
                     *       ],
                     *       "id_token_signing_alg_values_supported": [
                     *         "ES256"
                     *       ],
                     *       "subject_types_supported": [
                     *         "public"
                     *       ],
                     *       "claims_supported": [
                     *         "sub",
                     *         "iss",
                     *         "aud",
                     *         "exp",
                     *         "iat",
                     *         "auth_time",
                     *         "nonce",
                     *         "amr",
                     *         "at_hash",
                     *         "email",
                     *         "email_verified",
                     *         "name",
                     *         "tenant",
                     *         "fhirUser"
                     *       ],
                     *       "authorization_response_iss_parameter_supported": true,
                     *       "service_documentation": "http://127.0.0.1:8787/docs"
                     *     }
                     */
                    "application/json": components["schemas"]["AuthorizationServerMetadata"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAuthorizationServerMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metadata. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "issuer": "http://127.0.0.1:8787",
                     *       "authorization_endpoint": "http://127.0.0.1:8787/oauth/authorize",
                     *       "token_endpoint": "http://127.0.0.1:8787/oauth/token",
                     *       "device_authorization_endpoint": "http://127.0.0.1:8787/oauth/device_authorization",
                     *       "jwks_uri": "http://127.0.0.1:8787/.well-known/jwks.json",
                     *       "userinfo_endpoint": "http://127.0.0.1:8787/oauth/userinfo",
                     *       "registration_endpoint": "http://127.0.0.1:8787/oauth/register",
                     *       "revocation_endpoint": "http://127.0.0.1:8787/oauth/revoke",
                     *       "introspection_endpoint": "http://127.0.0.1:8787/oauth/introspect",
                     *       "end_session_endpoint": "http://127.0.0.1:8787/oauth/logout",
                     *       "scopes_supported": [
                     *         "openid",
                     *         "profile",
                     *         "email",
                     *         "offline_access",
                     *         "observations:read",
                     *         "observations:write",
                     *         "files:read",
                     *         "files:write",
                     *         "consents:read",
                     *         "consents:manage",
                     *         "profile:write",
                     *         "clients:manage",
                     *         "audit:read",
                     *         "tenant:manage",
                     *         "observations.vital_signs:read",
                     *         "observations.vital_signs:write",
                     *         "observations.laboratory:read",
                     *         "observations.laboratory:write",
                     *         "observations.physical_activity:read",
                     *         "observations.physical_activity:write",
                     *         "observations.sleep:read",
                     *         "observations.sleep:write",
                     *         "observations.body_composition:read",
                     *         "observations.body_composition:write",
                     *         "observations.nutrition:read",
                     *         "observations.nutrition:write",
                     *         "observations.symptoms:read",
                     *         "observations.symptoms:write",
                     *         "observations.mood:read",
                     *         "observations.mood:write",
                     *         "observations.treatments:read",
                     *         "observations.treatments:write",
                     *         "observations.supplements:read",
                     *         "observations.supplements:write",
                     *         "observations.conditions:read",
                     *         "observations.conditions:write",
                     *         "observations.environment:read",
                     *         "observations.environment:write",
                     *         "observations.cardiovascular:read",
                     *         "observations.cardiovascular:write",
                     *         "observations.respiratory:read",
                     *         "observations.respiratory:write",
                     *         "observations.reproductive_health:read",
                     *         "observations.reproductive_health:write",
                     *         "observations.cognitive:read",
                     *         "observations.cognitive:write",
                     *         "observations.activities:read",
                     *         "observations.activities:write",
                     *         "observations.immunizations:read",
                     *         "observations.immunizations:write",
                     *         "fhirUser",
                     *         "launch/patient",
                     *         "patient/Observation.rs",
                     *         "patient/Observation.c",
                     *         "patient/Patient.rs",
                     *         "patient/DocumentReference.rs",
                     *         "patient/DocumentReference.cu",
                     *         "patient/*.rs",
                     *         "user/Observation.rs",
                     *         "user/Observation.c",
                     *         "user/Patient.rs",
                     *         "user/DocumentReference.rs",
                     *         "user/DocumentReference.cu",
                     *         "user/Consent.rs",
                     *         "user/Consent.cud",
                     *         "user/*.rs"
                     *       ],
                     *       "response_types_supported": [
                     *         "code"
                     *       ],
                     *       "response_modes_supported": [
                     *         "query"
                     *       ],
                     *       "grant_types_supported": [
                     *         "authorization_code",
                     *         "refresh_token",
                     *         "client_credentials",
                     *         "urn:ietf:params:oauth:grant-type:device_code"
                     *       ],
                     *       "code_challenge_methods_supported": [
                     *         "S256"
                     *       ],
                     *       "token_endpoint_auth_methods_supported": [
                     *         "client_secret_basic",
                     *         "client_secret_post",
                     *         "none"
                     *       ],
                     *       "revocation_endpoint_auth_methods_supported": [
                     *         "client_secret_basic",
                     *         "client_secret_post",
                     *         "none"
                     *       ],
                     *       "introspection_endpoint_auth_methods_supported": [
                     *         "client_secret_basic",
                     *         "client_secret_post"
                     *       ],
                     *       "id_token_signing_alg_values_supported": [
                     *         "ES256"
                     *       ],
                     *       "subject_types_supported": [
                     *         "public"
                     *       ],
                     *       "claims_supported": [
                     *         "sub",
                     *         "iss",
                     *         "aud",
                     *         "exp",
                     *         "iat",
                     *         "auth_time",
                     *         "nonce",
                     *         "amr",
                     *         "at_hash",
                     *         "email",
                     *         "email_verified",
                     *         "name",
                     *         "tenant",
                     *         "fhirUser"
                     *       ],
                     *       "authorization_response_iss_parameter_supported": true,
                     *       "service_documentation": "http://127.0.0.1:8787/docs"
                     *     }
                     */
                    "application/json": components["schemas"]["AuthorizationServerMetadata"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The JWK Set. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "keys": [
                     *         {
                     *           "kty": "EC",
                     *           "crv": "P-256",
                     *           "x": "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",
                     *           "y": "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM",
                     *           "kid": "k1",
                     *           "alg": "ES256",
                     *           "use": "sig"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["JwkSet"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSmartConfiguration: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The configuration. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "issuer": "http://127.0.0.1:8787",
                     *       "jwks_uri": "http://127.0.0.1:8787/.well-known/jwks.json",
                     *       "authorization_endpoint": "http://127.0.0.1:8787/oauth/authorize",
                     *       "token_endpoint": "http://127.0.0.1:8787/oauth/token",
                     *       "grant_types_supported": [
                     *         "authorization_code",
                     *         "refresh_token",
                     *         "client_credentials",
                     *         "urn:ietf:params:oauth:grant-type:device_code"
                     *       ],
                     *       "token_endpoint_auth_methods_supported": [
                     *         "client_secret_basic",
                     *         "client_secret_post",
                     *         "none"
                     *       ],
                     *       "registration_endpoint": "http://127.0.0.1:8787/oauth/register",
                     *       "revocation_endpoint": "http://127.0.0.1:8787/oauth/revoke",
                     *       "introspection_endpoint": "http://127.0.0.1:8787/oauth/introspect",
                     *       "userinfo_endpoint": "http://127.0.0.1:8787/oauth/userinfo",
                     *       "scopes_supported": [
                     *         "openid",
                     *         "fhirUser",
                     *         "launch/patient",
                     *         "offline_access",
                     *         "patient/Observation.rs",
                     *         "patient/Observation.c",
                     *         "patient/Patient.rs",
                     *         "patient/DocumentReference.rs",
                     *         "patient/DocumentReference.cu",
                     *         "patient/*.rs",
                     *         "user/Observation.rs",
                     *         "user/Observation.c",
                     *         "user/Patient.rs",
                     *         "user/DocumentReference.rs",
                     *         "user/DocumentReference.cu",
                     *         "user/Consent.rs",
                     *         "user/Consent.cud",
                     *         "user/*.rs"
                     *       ],
                     *       "response_types_supported": [
                     *         "code"
                     *       ],
                     *       "code_challenge_methods_supported": [
                     *         "S256"
                     *       ],
                     *       "capabilities": [
                     *         "launch-standalone",
                     *         "client-public",
                     *         "client-confidential-symmetric",
                     *         "context-standalone-patient",
                     *         "permission-v1",
                     *         "permission-v2",
                     *         "permission-patient",
                     *         "permission-user",
                     *         "permission-offline",
                     *         "sso-openid-connect"
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["SmartConfiguration"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    authorize: {
        parameters: {
            query?: {
                /** @description Must be `code`. */
                response_type?: string;
                /** @description The registered client. */
                client_id?: string;
                /** @description Exactly one of the client's registered redirect URIs. */
                redirect_uri?: string;
                /** @description Space-separated scopes. */
                scope?: string;
                /** @description Returned unchanged to the client. */
                state?: string;
                /** @description Copied into the ID token (OIDC Core §3.1.2.1). */
                nonce?: string;
                /** @description BASE64URL(SHA-256(code_verifier)), 43 characters. */
                code_challenge?: string;
                /** @description Must be `S256`. */
                code_challenge_method?: string;
                /** @description `none`, `login` or `consent` (OIDC Core §3.1.2.1). */
                prompt?: string;
                /** @description Seconds (OIDC Core §3.1.2.1): a session whose sign-in is older signs in again, and the tokens carry the new `auth_time`. How a client answers the RFC 9470 `insufficient_user_authentication` challenge. */
                max_age?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sign-in page or the consent page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Sign in</title></head><body><main><h1>Sign in</h1><form method="post" action="/oauth/login"><input type="email" name="email"><input type="password" name="password"><input type="hidden" name="return_to" value="/oauth/authorize?response_type=code&amp;client_id=dfda-cli&amp;redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback&amp;scope=openid%20observations%3Aread&amp;state=af0ifjsldkj&amp;code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&amp;code_challenge_method=S256"><input type="hidden" name="csrf_token" value="k3Jx9QvT2mZpL8wR4yN6bC1dF5gH7jK0"><button>Sign in</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Back to the client with a code or an error (`login_required`, `consent_required`, …). */
            302: {
                headers: {
                    /**
                     * @description Where the browser goes next.
                     * @example http://127.0.0.1:53682/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj&iss=http%3A%2F%2F127.0.0.1%3A8787
                     */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description To the second-factor step of a signed-in session. */
            303: {
                headers: {
                    /**
                     * @description Where the browser goes next.
                     * @example /oauth/mfa?return_to=%2Foauth%2Fauthorize%3Fresponse_type%3Dcode%26client_id%3Ddfda-cli%26redirect_uri%3Dhttp%253A%252F%252F127.0.0.1%253A53682%252Fcallback%26scope%3Dopenid%2520observations%253Aread%26state%3Daf0ifjsldkj%26code_challenge%3DE9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM%26code_challenge_method%3DS256
                     */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A page saying why it cannot continue. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Session expired</title></head><body><main><h1>Session expired</h1><p>Sign in again.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    signIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "ada@example.org",
                 *       "password": "correct horse battery staple",
                 *       "return_to": "/oauth/authorize?response_type=code&client_id=dfda-cli&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback&scope=openid%20observations%3Aread&state=af0ifjsldkj&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
                 *       "csrf_token": "k3Jx9QvT2mZpL8wR4yN6bC1dF5gH7jK0"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    email: string;
                    password: string;
                    /** @description The authorization request to return to, as a same-origin path. */
                    return_to: string;
                    /** @description The form's CSRF token. */
                    csrf_token: string;
                };
            };
        };
        responses: {
            /** @description Signed in: on to the second-factor step or back to the authorization request. */
            303: {
                headers: {
                    /**
                     * @description Where the browser goes next.
                     * @example /oauth/mfa?return_to=%2Foauth%2Fauthorize%3Fresponse_type%3Dcode%26client_id%3Ddfda-cli%26redirect_uri%3Dhttp%253A%252F%252F127.0.0.1%253A53682%252Fcallback%26scope%3Dopenid%2520observations%253Aread%26state%3Daf0ifjsldkj%26code_challenge%3DE9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM%26code_challenge_method%3DS256
                     */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The form expired or the request is not valid: the page again. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Sign in</title></head><body><main><h1>Sign in</h1><form method="post" action="/oauth/login"><p role="alert">The form expired. Try again.</p><input type="email" name="email"><input type="password" name="password"><button>Sign in</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Wrong e-mail or password: the sign-in page again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Sign in</title></head><body><main><h1>Sign in</h1><form method="post" action="/oauth/login"><p role="alert">Wrong e-mail or password.</p><input type="email" name="email"><input type="password" name="password"><button>Sign in</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Too many failures from this address (or for this account) for a while, with `Retry-After`: the sign-in page again; or the e-mail address is not confirmed yet: a page offering the link again. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Sign in</title></head><body><main><h1>Sign in</h1><form method="post" action="/oauth/login"><p role="alert">Too many failed sign-ins. Try again in 15 minutes.</p><input type="email" name="email"><input type="password" name="password"><button>Sign in</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Too many attempts (`rate_limited`, with `Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/rate_limited",
                     *       "title": "Too many requests",
                     *       "status": 429,
                     *       "detail": "Too many login requests. Retry after 60 seconds.",
                     *       "code": "rate_limited",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    showSecondFactorPage: {
        parameters: {
            query?: {
                /** @description The authorization request to return to, as a same-origin path. */
                return_to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page asking for a code. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Two-step verification</title></head><body><main><h1>Two-step verification</h1><form method="post" action="/oauth/mfa"><label>Code from your authenticator app <input name="code" inputmode="numeric" autocomplete="one-time-code"></label><button>Verify</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description A page saying why it cannot continue. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Session expired</title></head><body><main><h1>Session expired</h1><p>Sign in again.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    verifySecondFactor: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "code": "492039",
                 *       "return_to": "/oauth/authorize?response_type=code&client_id=dfda-cli&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback&scope=openid%20observations%3Aread&state=af0ifjsldkj&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
                 *       "csrf_token": "k3Jx9QvT2mZpL8wR4yN6bC1dF5gH7jK0"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    code: string;
                    /** @description The authorization request to return to, as a same-origin path. */
                    return_to: string;
                    /** @description The form's CSRF token. */
                    csrf_token: string;
                };
            };
        };
        responses: {
            /** @description Verified: back to the authorization request. */
            303: {
                headers: {
                    /**
                     * @description Where the browser goes next.
                     * @example /oauth/authorize?response_type=code&client_id=dfda-cli&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback&scope=openid%20observations%3Aread&state=af0ifjsldkj&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256
                     */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A page saying why it cannot continue. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Session expired</title></head><body><main><h1>Session expired</h1><p>Sign in again.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description The code is not valid: the page again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Two-step verification</title></head><body><main><h1>Two-step verification</h1><form method="post" action="/oauth/mfa"><p role="alert">That code is not valid.</p><input name="code" inputmode="numeric" autocomplete="one-time-code"><button>Verify</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Too many wrong codes for this account: the page again, with `Retry-After` (`text/html`); or the address is throttled (`rate_limited` problem, with `Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Two-step verification</title></head><body><main><h1>Two-step verification</h1><form method="post" action="/oauth/mfa"><p role="alert">Too many wrong codes. Try again in a minute.</p><input name="code" inputmode="numeric" autocomplete="one-time-code"><button>Verify</button></form></main></body></html> */
                    "text/html": string;
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/rate_limited",
                     *       "title": "Too many requests",
                     *       "status": 429,
                     *       "detail": "Too many login requests. Retry after 60 seconds.",
                     *       "code": "rate_limited",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    showSecondFactorEnrolmentPage: {
        parameters: {
            query?: {
                /** @description The authorization request to return to, as a same-origin path. */
                return_to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The enrolment page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Set up two-step verification</title></head><body><main><h1>Set up two-step verification</h1><p>Scan the QR code with your authenticator app, or enter the key JBSWY3DPEHPK3PXP.</p><form method="post" action="/oauth/mfa/enrol"><input name="code" inputmode="numeric" autocomplete="one-time-code"><button>Turn on</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description A page saying why it cannot continue. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Session expired</title></head><body><main><h1>Session expired</h1><p>Sign in again.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    confirmSecondFactorEnrolment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "code": "492039",
                 *       "return_to": "/oauth/authorize?response_type=code&client_id=dfda-cli&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback&scope=openid%20observations%3Aread&state=af0ifjsldkj&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
                 *       "csrf_token": "k3Jx9QvT2mZpL8wR4yN6bC1dF5gH7jK0"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    code: string;
                    /** @description The authorization request to return to, as a same-origin path. */
                    return_to: string;
                    /** @description The form's CSRF token. */
                    csrf_token: string;
                };
            };
        };
        responses: {
            /** @description The recovery codes, shown once. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Save your recovery codes</title></head><body><main><h1>Save your recovery codes</h1><ul><li>7f3k-9q2m</li><li>x4p8-2n6v</li><li>…</li></ul><p>Each works once if you lose your authenticator.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description The code was not valid: back to the enrolment page. */
            303: {
                headers: {
                    /**
                     * @description Where the browser goes next.
                     * @example /oauth/mfa/enrol?return_to=%2Foauth%2Fauthorize%3Fresponse_type%3Dcode%26client_id%3Ddfda-cli%26redirect_uri%3Dhttp%253A%252F%252F127.0.0.1%253A53682%252Fcallback%26scope%3Dopenid%2520observations%253Aread%26state%3Daf0ifjsldkj%26code_challenge%3DE9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM%26code_challenge_method%3DS256
                     */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A page saying why it cannot continue. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Session expired</title></head><body><main><h1>Session expired</h1><p>Sign in again.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    decideConsent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "decision": "approve",
                 *       "return_to": "/oauth/authorize?response_type=code&client_id=dfda-cli&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback&scope=openid%20observations%3Aread&state=af0ifjsldkj&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
                 *       "csrf_token": "k3Jx9QvT2mZpL8wR4yN6bC1dF5gH7jK0"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    /** @description `approve`; anything else denies. */
                    decision: string;
                    /** @description `yes`: also allow background access (the app's servers, client credentials) until the date shown; absent: none. Offered only to confidential clients with the client_credentials grant. */
                    background?: string;
                    /** @description The authorization request to return to, as a same-origin path. */
                    return_to: string;
                    /** @description The form's CSRF token. */
                    csrf_token: string;
                };
            };
        };
        responses: {
            /** @description To the client with a code or `access_denied`. */
            303: {
                headers: {
                    /**
                     * @description Where the browser goes next.
                     * @example http://127.0.0.1:53682/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj&iss=http%3A%2F%2F127.0.0.1%3A8787
                     */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A page saying why it cannot continue. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Session expired</title></head><body><main><h1>Session expired</h1><p>Sign in again.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deviceVerification: {
        parameters: {
            query?: {
                /** @description The code the device shows (case and dashes ignored). */
                user_code?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The code form, the sign-in page or the approval page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Connect a device</title></head><body><main><h1>Connect a device</h1><p>dfda CLI asks to read your observations.</p><form method="post" action="/oauth/device/decision"><input type="hidden" name="user_code" value="BDWP-HQPK"><input type="hidden" name="csrf_token" value="k3Jx9QvT2mZpL8wR4yN6bC1dF5gH7jK0"><button name="decision" value="approve">Allow</button><button name="decision" value="deny">Deny</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description To the second-factor step of a signed-in session. */
            303: {
                headers: {
                    /**
                     * @description Where the browser goes next.
                     * @example /oauth/mfa?return_to=%2Foauth%2Fdevice%3Fuser_code%3DBDWP-HQPK
                     */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The code is unknown, expired or already used: the form again. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Connect a device</title></head><body><main><h1>Connect a device</h1><p role="alert">That code is not valid or has expired.</p><form method="get" action="/oauth/device"><input name="user_code" autocomplete="off"><button>Continue</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Too many attempts (`rate_limited`, with `Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/rate_limited",
                     *       "title": "Too many requests",
                     *       "status": 429,
                     *       "detail": "Too many device requests. Retry after 60 seconds.",
                     *       "code": "rate_limited",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    decideDevice: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "decision": "approve",
                 *       "user_code": "BDWP-HQPK",
                 *       "return_to": "/oauth/device?user_code=BDWP-HQPK",
                 *       "csrf_token": "k3Jx9QvT2mZpL8wR4yN6bC1dF5gH7jK0"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    /** @description `approve`; anything else denies. */
                    decision: string;
                    /** @description The code being decided. */
                    user_code: string;
                    /** @description The authorization request to return to, as a same-origin path. */
                    return_to: string;
                    /** @description The form's CSRF token. */
                    csrf_token: string;
                };
            };
        };
        responses: {
            /** @description Done: the person may go back to the device. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Device connected</title></head><body><main><h1>Device connected</h1><p>You can go back to your device.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description A page saying why it cannot continue. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Session expired</title></head><body><main><h1>Session expired</h1><p>Sign in again.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    showSignUpPage: {
        parameters: {
            query?: {
                /** @description The authorization request to return to, as a same-origin path. */
                return_to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sign-up form. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Create an account</title></head><body><main><h1>Create an account</h1><form method="post" action="/oauth/signup"><input type="email" name="email"><input name="name"><input type="password" name="password" autocomplete="new-password"><button>Create account</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description A page saying why it cannot continue. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Session expired</title></head><body><main><h1>Session expired</h1><p>Sign in again.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    signUp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "ada@example.org",
                 *       "name": "Ada",
                 *       "password": "correct horse battery staple",
                 *       "return_to": "/oauth/authorize?response_type=code&client_id=dfda-cli&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback&scope=openid%20observations%3Aread&state=af0ifjsldkj&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
                 *       "csrf_token": "k3Jx9QvT2mZpL8wR4yN6bC1dF5gH7jK0"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    email: string;
                    /** @description Display name (optional). */
                    name?: string;
                    password: string;
                    /** @description The authorization request to return to, as a same-origin path. */
                    return_to: string;
                    /** @description The form's CSRF token. */
                    csrf_token: string;
                };
            };
        };
        responses: {
            /** @description Check your e-mail: the same page whether or not the address had an account. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Check your e-mail</title></head><body><main><h1>Check your e-mail</h1><p>We sent a link to ada@example.org. Open it to confirm the address.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description The form is not valid or expired: the sign-up page again. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Create an account</title></head><body><main><h1>Create an account</h1><p role="alert">The password must have at least 12 characters.</p><form method="post" action="/oauth/signup">…</form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Too many attempts (`rate_limited`, with `Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/rate_limited",
                     *       "title": "Too many requests",
                     *       "status": 429,
                     *       "detail": "Too many registration requests. Retry after 60 seconds.",
                     *       "code": "rate_limited",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    verifyEmail: {
        parameters: {
            query?: {
                /** @description The token from the e-mail. */
                token?: string;
                /** @description The authorization request the person signed up from. */
                return_to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page asking for the password. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Confirm your e-mail address</title></head><body><main><h1>Confirm your e-mail address</h1><form method="post" action="/oauth/verify-email"><input type="hidden" name="token" value="Zp4Lw8Qe2Rt6Yu0Io3Pa7Sd1Fg5Hj9Kl"><input type="password" name="password"><button>Confirm and sign in</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description A page saying why it cannot continue. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Session expired</title></head><body><main><h1>Session expired</h1><p>Sign in again.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    confirmEmail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "token": "Zp4Lw8Qe2Rt6Yu0Io3Pa7Sd1Fg5Hj9Kl",
                 *       "password": "correct horse battery staple",
                 *       "return_to": "/oauth/authorize?response_type=code&client_id=dfda-cli&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback&scope=openid%20observations%3Aread&state=af0ifjsldkj&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
                 *       "csrf_token": "k3Jx9QvT2mZpL8wR4yN6bC1dF5gH7jK0"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    /** @description The token from the e-mail. */
                    token: string;
                    password: string;
                    /** @description The authorization request to return to, as a same-origin path. */
                    return_to?: string;
                    /** @description The form's CSRF token. */
                    csrf_token: string;
                };
            };
        };
        responses: {
            /** @description Confirmed, with no authorization request to continue: sign in. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>E-mail address confirmed</title></head><body><main><h1>E-mail address confirmed</h1><p>Your address is confirmed. Sign in from the app you signed up in.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Confirmed and signed in: on to the second-factor step or back to the authorization request. */
            303: {
                headers: {
                    /**
                     * @description Where the browser goes next.
                     * @example /oauth/authorize?response_type=code&client_id=dfda-cli&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback&scope=openid%20observations%3Aread&state=af0ifjsldkj&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256
                     */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The form expired, or the link is used or expired. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Cannot continue</title></head><body><main><h1>Cannot continue</h1><p>This link was used or has expired. Ask for a new one.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Wrong password: the page again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Confirm your e-mail address</title></head><body><main><h1>Confirm your e-mail address</h1><p role="alert">Wrong password.</p><form method="post" action="/oauth/verify-email"><input type="password" name="password"><button>Confirm and sign in</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Too many failed passwords for a while, with `Retry-After`: the page again. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Confirm your e-mail address</title></head><body><main><h1>Confirm your e-mail address</h1><p role="alert">Too many failed attempts. Try again in 15 minutes.</p><form method="post" action="/oauth/verify-email"><input type="password" name="password"><button>Confirm and sign in</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Too many attempts (`rate_limited`, with `Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/rate_limited",
                     *       "title": "Too many requests",
                     *       "status": 429,
                     *       "detail": "Too many login requests. Retry after 60 seconds.",
                     *       "code": "rate_limited",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    resendEmailConfirmation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "ada@example.org",
                 *       "return_to": "/oauth/authorize?response_type=code&client_id=dfda-cli&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback&scope=openid%20observations%3Aread&state=af0ifjsldkj&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
                 *       "csrf_token": "k3Jx9QvT2mZpL8wR4yN6bC1dF5gH7jK0"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    email: string;
                    /** @description The authorization request to return to, as a same-origin path. */
                    return_to: string;
                    /** @description The form's CSRF token. */
                    csrf_token: string;
                };
            };
        };
        responses: {
            /** @description A page saying a link was sent if the account awaits confirmation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Check your e-mail</title></head><body><main><h1>Check your e-mail</h1><p>If ada@example.org awaits confirmation, a new link is on its way.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description A page saying why it cannot continue. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Session expired</title></head><body><main><h1>Session expired</h1><p>Sign in again.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Too many attempts (`rate_limited`, with `Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/rate_limited",
                     *       "title": "Too many requests",
                     *       "status": 429,
                     *       "detail": "Too many registration requests. Retry after 60 seconds.",
                     *       "code": "rate_limited",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    showForgotPasswordPage: {
        parameters: {
            query?: {
                /** @description The authorization request to return to, as a same-origin path. */
                return_to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The form asking for the e-mail address. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Reset your password</title></head><body><main><h1>Reset your password</h1><form method="post" action="/oauth/forgot-password"><input type="email" name="email"><button>Send a link</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description A page saying why it cannot continue. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Session expired</title></head><body><main><h1>Session expired</h1><p>Sign in again.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    sendPasswordResetLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "ada@example.org",
                 *       "return_to": "/oauth/authorize?response_type=code&client_id=dfda-cli&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback&scope=openid%20observations%3Aread&state=af0ifjsldkj&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
                 *       "csrf_token": "k3Jx9QvT2mZpL8wR4yN6bC1dF5gH7jK0"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    email: string;
                    /** @description The authorization request to return to, as a same-origin path. */
                    return_to: string;
                    /** @description The form's CSRF token. */
                    csrf_token: string;
                };
            };
        };
        responses: {
            /** @description A page saying a link was sent if the account exists. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Check your e-mail</title></head><body><main><h1>Check your e-mail</h1><p>If an account uses ada@example.org, a link to reset its password is on its way.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description A page saying why it cannot continue. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Session expired</title></head><body><main><h1>Session expired</h1><p>Sign in again.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Too many attempts (`rate_limited`, with `Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/rate_limited",
                     *       "title": "Too many requests",
                     *       "status": 429,
                     *       "detail": "Too many login requests. Retry after 60 seconds.",
                     *       "code": "rate_limited",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    showResetPasswordPage: {
        parameters: {
            query?: {
                /** @description The token from the e-mail. */
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new-password form. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Choose a new password</title></head><body><main><h1>Choose a new password</h1><form method="post" action="/oauth/reset-password"><input type="hidden" name="token" value="q8Xz4nR2vB7kT1mW9pL3sD6fG0hJ5cY8"><input type="password" name="password" autocomplete="new-password"><button>Save</button></form></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    resetPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "token": "q8Xz4nR2vB7kT1mW9pL3sD6fG0hJ5cY8",
                 *       "password": "a new long passphrase",
                 *       "csrf_token": "k3Jx9QvT2mZpL8wR4yN6bC1dF5gH7jK0"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    /** @description The token from the e-mail. */
                    token: string;
                    password: string;
                    /** @description The form's CSRF token. */
                    csrf_token: string;
                };
            };
        };
        responses: {
            /** @description The password is changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Password changed</title></head><body><main><h1>Password changed</h1><p>Your password is changed. Sign in with it.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description The form expired, the password is too short, or the link is used or expired. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Cannot continue</title></head><body><main><h1>Cannot continue</h1><p>This link was used or has expired. Ask for a new one.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page saying the person is signed out. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example <!doctype html><html lang="en"><head><title>Signed out</title></head><body><main><h1>Signed out</h1><p>You are signed out.</p></main></body></html> */
                    "text/html": string;
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deviceAuthorization: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "scope": "openid observations:read observations:write",
                 *       "client_id": "dfda-cli"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    /** @description Space-separated scopes. */
                    scope: string;
                    client_id?: string;
                    client_secret?: string;
                };
            };
        };
        responses: {
            /** @description The codes (RFC 8628 §3.2). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "device_code": "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS",
                     *       "user_code": "BDWP-HQPK",
                     *       "verification_uri": "http://127.0.0.1:8787/oauth/device",
                     *       "verification_uri_complete": "http://127.0.0.1:8787/oauth/device?user_code=BDWP-HQPK",
                     *       "expires_in": 600,
                     *       "interval": 5
                     *     }
                     */
                    "application/json": components["schemas"]["DeviceAuthorizationResponse"];
                };
            };
            /** @description `invalid_request`, `invalid_scope`, `unauthorized_client` (RFC 6749 §5.2). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "unauthorized_client",
                     *       "error_description": "This client may not use urn:ietf:params:oauth:grant-type:device_code."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description `invalid_client`, with a `WWW-Authenticate` challenge. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_client",
                     *       "error_description": "Client authentication failed."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description Too many attempts (`rate_limited`, with `Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/rate_limited",
                     *       "title": "Too many requests",
                     *       "status": 429,
                     *       "detail": "Too many token requests. Retry after 60 seconds.",
                     *       "code": "rate_limited",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "grant_type": "authorization_code",
                 *       "code": "SplxlOBeZQQYbYS6WxSbIA",
                 *       "redirect_uri": "http://127.0.0.1:53682/callback",
                 *       "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                 *       "client_id": "dfda-cli"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    /** @description `authorization_code`, `refresh_token`, `client_credentials` or `urn:ietf:params:oauth:grant-type:device_code`. */
                    grant_type: string;
                    /** @description The device grant's code (RFC 8628 §3.4). */
                    device_code?: string;
                    code?: string;
                    redirect_uri?: string;
                    code_verifier?: string;
                    refresh_token?: string;
                    scope?: string;
                    client_id?: string;
                    client_secret?: string;
                };
            };
        };
        responses: {
            /** @description The tokens (RFC 6749 §5.1; an ID token with `openid`, OIDC Core §3.1.3.3). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "access_token": "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiIwMTkzYTBiNC02ZDFlLTdjMmEtOWYzYi0yYTRjNmU4ZjBhMTEifQ.MEUCIQDx",
                     *       "token_type": "Bearer",
                     *       "expires_in": 600,
                     *       "scope": "openid observations:read",
                     *       "refresh_token": "rt_4Gq8Lm2Np6Rs0Tv3Wx7Yz1Ab5Cd9Ef2Gh6Ij0Kl4Mn8",
                     *       "id_token": "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiIwMTkzYTBiNC02ZDFlLTdjMmEtOWYzYi0yYTRjNmU4ZjBhMTEifQ.MEQCIFx"
                     *     }
                     */
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description `invalid_request`, `invalid_grant`, `invalid_scope`, … (RFC 6749 §5.2). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_grant",
                     *       "error_description": "The authorization code is not valid."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description `invalid_client`, with a `WWW-Authenticate` challenge. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_client",
                     *       "error_description": "Client authentication failed."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description Too many attempts (`rate_limited`, with `Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/rate_limited",
                     *       "title": "Too many requests",
                     *       "status": 429,
                     *       "detail": "Too many token requests. Retry after 60 seconds.",
                     *       "code": "rate_limited",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "token": "rt_4Gq8Lm2Np6Rs0Tv3Wx7Yz1Ab5Cd9Ef2Gh6Ij0Kl4Mn8",
                 *       "token_type_hint": "refresh_token",
                 *       "client_id": "dfda-cli"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    token: string;
                    /** @description `access_token` or `refresh_token`. */
                    token_type_hint?: string;
                    client_id?: string;
                    client_secret?: string;
                };
            };
        };
        responses: {
            /** @description Revoked, or it was not a valid token of this client. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request` (RFC 6749 §5.2). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_request",
                     *       "error_description": "token is required."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description `invalid_client`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_client",
                     *       "error_description": "Client authentication failed."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    introspectToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "token": "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiIwMTkzYTBiNC02ZDFlLTdjMmEtOWYzYi0yYTRjNmU4ZjBhMTEifQ.MEUCIQDx",
                 *       "token_type_hint": "access_token",
                 *       "client_id": "lab-importer",
                 *       "client_secret": "cs_9Vb3Nm7Qw1Er5Ty8Ui2Op6As0Df4Gh"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    token: string;
                    token_type_hint?: string;
                    client_id?: string;
                    client_secret?: string;
                };
            };
        };
        responses: {
            /** @description Whether the token is active, and its claims when it is (RFC 7662 §2.2). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "active": true,
                     *       "scope": "openid observations:read",
                     *       "client_id": "dfda-cli",
                     *       "sub": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
                     *       "exp": 1796545200,
                     *       "iat": 1796544600,
                     *       "iss": "http://127.0.0.1:8787",
                     *       "aud": "http://127.0.0.1:8787",
                     *       "jti": "0193a0d1-2b3c-7d4e-8f5a-6b7c8d9e0f21",
                     *       "token_type": "Bearer",
                     *       "tenant": "0193a0ca-1e2f-7a3b-9c4d-5e6f7a8b9c01",
                     *       "roles": [
                     *         "member"
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["TokenIntrospection"];
                };
            };
            /** @description `invalid_request` (RFC 6749 §5.2). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_request",
                     *       "error_description": "token is required."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description `invalid_client` (a public client, or wrong credentials). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_client",
                     *       "error_description": "Client authentication failed."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getUserInfo: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user's claims. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "sub": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
                     *       "tenant": "0193a0ca-1e2f-7a3b-9c4d-5e6f7a8b9c01",
                     *       "email": "ada@example.org",
                     *       "email_verified": true,
                     *       "name": "Ada"
                     *     }
                     */
                    "application/json": components["schemas"]["UserInfo"];
                };
            };
            /** @description `invalid_token`: no token, or not a user's valid token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_token",
                     *       "error_description": "The access token is not valid."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description `insufficient_scope`: the token lacks `openid`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "insufficient_scope",
                     *       "error_description": "The access token lacks the scope openid."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postUserInfo: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user's claims. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "sub": "0193a0b4-6d1e-7c2a-9f3b-2a4c6e8f0a11",
                     *       "tenant": "0193a0ca-1e2f-7a3b-9c4d-5e6f7a8b9c01",
                     *       "email": "ada@example.org",
                     *       "email_verified": true,
                     *       "name": "Ada"
                     *     }
                     */
                    "application/json": components["schemas"]["UserInfo"];
                };
            };
            /** @description `invalid_token`: no token, or not a user's valid token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_token",
                     *       "error_description": "The access token is not valid."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description `insufficient_scope`: the token lacks `openid`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "insufficient_scope",
                     *       "error_description": "The access token lacks the scope openid."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    registerClient: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "client_name": "Sleep diary",
                 *       "redirect_uris": [
                 *         "https://sleep-diary.example/callback"
                 *       ],
                 *       "token_endpoint_auth_method": "client_secret_basic",
                 *       "grant_types": [
                 *         "authorization_code",
                 *         "refresh_token"
                 *       ],
                 *       "scope": "openid profile observations:read observations.sleep:write"
                 *     }
                 */
                "application/json": components["schemas"]["ClientMetadata"];
            };
        };
        responses: {
            /** @description The client's information (RFC 7591 §3.2.1); the secret is shown only here. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "client_id": "sleep-diary-7f3k9q",
                     *       "client_secret": "cs_9Vb3Nm7Qw1Er5Ty8Ui2Op6As0Df4Gh",
                     *       "client_secret_expires_at": 0,
                     *       "client_id_issued_at": 1796544600,
                     *       "client_name": "Sleep diary",
                     *       "redirect_uris": [
                     *         "https://sleep-diary.example/callback"
                     *       ],
                     *       "token_endpoint_auth_method": "client_secret_basic",
                     *       "grant_types": [
                     *         "authorization_code",
                     *         "refresh_token"
                     *       ],
                     *       "response_types": [
                     *         "code"
                     *       ],
                     *       "scope": "openid profile observations:read observations.sleep:write"
                     *     }
                     */
                    "application/json": components["schemas"]["ClientInformation"];
                };
            };
            /** @description `invalid_redirect_uri` or `invalid_client_metadata`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_redirect_uri",
                     *       "error_description": "redirect_uris must be https URLs, loopback URLs or private-use schemes."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description `invalid_token`: no user's valid token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "invalid_token",
                     *       "error_description": "The access token is not valid."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description `insufficient_scope`: no `clients:manage`, or not an app developer or administrator. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "insufficient_scope",
                     *       "error_description": "The access token lacks the scope clients:manage."
                     *     }
                     */
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description Too many attempts (`rate_limited`, with `Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/rate_limited",
                     *       "title": "Too many requests",
                     *       "status": 429,
                     *       "detail": "Too many registration requests. Retry after 60 seconds.",
                     *       "code": "rate_limited",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected error (`internal_error`); nothing internal is revealed. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "http://127.0.0.1:8787/problems/internal_error",
                     *       "title": "Internal server error",
                     *       "status": 500,
                     *       "detail": "An unexpected error occurred. Quote the request id when reporting it.",
                     *       "code": "internal_error",
                     *       "request_id": "b8b1f7a4-5b1e-4f7e-9d8e-3c9c8a1f2e11"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}

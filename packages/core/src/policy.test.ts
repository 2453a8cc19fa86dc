/**
 * Decision table for the authorization policy: each row is a caller, a requirement and the expected
 * decision. Adding a rule means adding rows here.
 */
import { describe, expect, it } from "vitest";
import { type Decision, decide, type GrantCheck, type Principal, type Requirement, type RoleName } from "./policy";

const T1 = "tenant-1";
const T2 = "tenant-2";
const ALICE = "alice";
const BOB = "bob";

function user(scopes: string[], roles: RoleName[] = ["data_owner"], userId = ALICE, tenantId = T1): Principal {
  return {
    kind: "user",
    tenantId,
    userId,
    clientId: "app",
    scopes: new Set(scopes),
    roles: new Set(roles),
    tokenId: "t",
  };
}
function client(scopes: string[], tenantId = T1): Principal {
  return { kind: "client", tenantId, clientId: "svc", scopes: new Set(scopes), tokenId: "t" };
}
/** A grant check that allows exactly one (grantee user, owner, action). */
const bobMayReadAlice: GrantCheck = (p, owner, action) =>
  p.kind === "user" && p.userId === BOB && owner === ALICE && action === "read";

const read = (ownerId: string, scopes = ["observations:read"]): Requirement => ({
  scopes,
  ownerId,
  action: "read",
  tenantId: T1,
});

const rows: Array<[string, Principal, Requirement, Decision, GrantCheck?]> = [
  ["anonymous is refused", { kind: "anonymous" }, read(ALICE), { allow: false, reason: "unauthenticated" }],
  ["owner with the scope reads own data", user(["observations:read"]), read(ALICE), { allow: true, via: "owner" }],
  [
    "owner without the scope is refused",
    user(["files:read"]),
    read(ALICE),
    { allow: false, reason: "insufficient_scope" },
  ],
  [
    "broad scope covers a category scope",
    user(["observations:read"]),
    read(ALICE, ["observations.vital_signs:read"]),
    { allow: true, via: "owner" },
  ],
  [
    "category scope does not cover the broad scope",
    user(["observations.vital_signs:read"]),
    read(ALICE),
    { allow: false, reason: "insufficient_scope" },
  ],
  [
    "category scope does not cover another category",
    user(["observations.vital_signs:read"]),
    read(ALICE, ["observations.laboratory:read"]),
    { allow: false, reason: "insufficient_scope" },
  ],
  [
    "read scope does not cover write",
    user(["observations:read"]),
    { scopes: ["observations:write"], ownerId: ALICE, action: "write", tenantId: T1 },
    { allow: false, reason: "insufficient_scope" },
  ],
  [
    "another user is refused without a grant",
    user(["observations:read"], ["data_owner"], BOB),
    read(ALICE),
    { allow: false, reason: "not_owner" },
  ],
  [
    "another user with a grant reads",
    user(["observations:read"], ["clinician_delegate"], BOB),
    read(ALICE),
    { allow: true, via: "grant" },
    bobMayReadAlice,
  ],
  [
    "a read grant does not allow writing",
    user(["observations:write"], ["clinician_delegate"], BOB),
    { scopes: ["observations:write"], ownerId: ALICE, action: "write", tenantId: T1 },
    { allow: false, reason: "not_owner" },
    bobMayReadAlice,
  ],
  [
    "token of another tenant is refused, even for the same user id",
    user(["observations:read"], ["data_owner"], ALICE, T2),
    read(ALICE),
    { allow: false, reason: "wrong_tenant" },
  ],
  [
    "admin role allows tenant administration",
    user(["tenant:manage"], ["admin"]),
    { scopes: ["tenant:manage"], anyRole: ["admin"], tenantId: T1 },
    { allow: true, via: "role" },
  ],
  [
    "a data owner is not an admin",
    user(["tenant:manage"], ["data_owner"]),
    { scopes: ["tenant:manage"], anyRole: ["admin"], tenantId: T1 },
    { allow: false, reason: "missing_role" },
  ],
  [
    "an admin role does not make another user's data readable",
    user(["observations:read"], ["admin"], BOB),
    read(ALICE),
    { allow: false, reason: "not_owner" },
  ],
  [
    "app developer registers clients",
    user(["clients:manage"], ["app_developer"]),
    { scopes: ["clients:manage"], anyRole: ["app_developer", "admin"] },
    { allow: true, via: "role" },
  ],
  [
    "a client acting for itself is refused where clients are not allowed",
    client(["observations:read"]),
    { scopes: ["observations:read"] },
    { allow: false, reason: "client_not_allowed" },
  ],
  [
    "a client acting for itself is allowed where clients are",
    client(["audit:read"]),
    { scopes: ["audit:read"], allowClients: true },
    { allow: true, via: "client" },
  ],
  [
    "a client cannot read a user's data without a grant",
    client(["observations:read"]),
    { ...read(ALICE), allowClients: true },
    { allow: false, reason: "not_owner" },
  ],
  [
    "a client of another tenant is refused",
    client(["audit:read"], T2),
    { scopes: ["audit:read"], allowClients: true, tenantId: T1 },
    { allow: false, reason: "wrong_tenant" },
  ],
  [
    "a signed-in user reaches a route with no owner",
    user(["openid"]),
    { scopes: ["openid"] },
    { allow: true, via: "self" },
  ],
];

describe("decide", () => {
  it.each(rows)("%s", (_name, principal, requirement, expected, grants) => {
    expect(decide(principal, requirement, grants)).toEqual(expected);
  });
});

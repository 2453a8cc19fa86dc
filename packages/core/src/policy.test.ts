/**
 * Decision tables for the authorization policy: each row is a caller, a requirement (or an access
 * question with the live facts) and the expected decision. Adding a rule means adding rows here.
 * `decide` covers tokens, scopes, roles and tenants; `evaluateAccess` the consent grants: owner,
 * custodian, delegate, group, researcher, app; category vs variable scope; data window; expiry;
 * revocation; tenant.
 */
import { describe, expect, it } from "vitest";
import {
  type AccessDecision,
  type AccessDenyReason,
  type AccessFacts,
  type AccessQuestion,
  AuthorizeRequest,
  type ConsentGrant,
  type Decision,
  decide,
  evaluateAccess,
  fromWirePrincipal,
  fromWireScope,
  type GrantCheck,
  type Principal,
  type Requirement,
  type RoleName,
  toWirePrincipal,
  toWireScope,
  WirePrincipal,
} from "./policy";

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
    authTime: null,
    amr: new Set(),
    firstParty: false,
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

// ---- personPresent: operations that need the person themselves ------------------------------------

const CLOCK = 1_800_000_000;
const MAX_AGE = 300;
/** A person's token: first-party or not, signed in `age` seconds before CLOCK with the methods `amr`. */
function signedIn(options: { firstParty: boolean; age: number | null; amr?: string[]; scopes?: string[] }): Principal {
  const base = user(options.scopes ?? ["profile:write"]);
  if (base.kind !== "user") throw new Error("unreachable");
  return {
    ...base,
    firstParty: options.firstParty,
    authTime: options.age === null ? null : CLOCK - options.age,
    amr: new Set(options.amr ?? ["pwd"]),
  };
}
const erase: Requirement = { scopes: ["profile:write"], ownerId: ALICE, action: "write", personPresent: true };
const presence = (secondFactorEnrolled = false) => ({ now: CLOCK, maxAgeSeconds: MAX_AGE, secondFactorEnrolled });

const presenceRows: Array<[string, Principal, Requirement, ReturnType<typeof presence> | null, Decision]> = [
  [
    "a third-party app with the scope and a fresh sign-in is refused (no re-login can help)",
    signedIn({ firstParty: false, age: 0 }),
    erase,
    presence(),
    { allow: false, reason: "first_party_only" },
  ],
  [
    "a client acting for itself is refused even where clients are allowed",
    client(["profile:write"]),
    { scopes: ["profile:write"], allowClients: true, personPresent: true },
    presence(),
    { allow: false, reason: "first_party_only" },
  ],
  [
    "a first-party app with a sign-in within max age is allowed",
    signedIn({ firstParty: true, age: MAX_AGE }),
    erase,
    presence(),
    { allow: true, via: "owner" },
  ],
  [
    "a first-party app with a sign-in older than max age must re-authenticate",
    signedIn({ firstParty: true, age: MAX_AGE + 1 }),
    erase,
    presence(),
    { allow: false, reason: "reauthentication_required" },
  ],
  [
    "a token without auth_time never counts as a recent sign-in",
    signedIn({ firstParty: true, age: null }),
    erase,
    presence(),
    { allow: false, reason: "reauthentication_required" },
  ],
  [
    "with a second factor enrolled, a password-only sign-in must re-authenticate",
    signedIn({ firstParty: true, age: 0, amr: ["pwd"] }),
    erase,
    presence(true),
    { allow: false, reason: "reauthentication_required" },
  ],
  [
    "with a second factor enrolled, a recent sign-in with otp is allowed",
    signedIn({ firstParty: true, age: 10, amr: ["pwd", "otp"] }),
    erase,
    presence(true),
    { allow: true, via: "owner" },
  ],
  [
    "without the presence facts the requirement fails closed",
    signedIn({ firstParty: true, age: 0, amr: ["pwd", "otp"] }),
    erase,
    null,
    { allow: false, reason: "reauthentication_required" },
  ],
  [
    "the scope is still checked first",
    signedIn({ firstParty: true, age: 0, scopes: ["openid"] }),
    erase,
    presence(),
    { allow: false, reason: "insufficient_scope" },
  ],
  [
    "firstPartyOnly refuses a third-party app, however fresh its sign-in",
    signedIn({ firstParty: false, age: 0 }),
    { scopes: ["profile:write"], firstPartyOnly: true },
    null,
    { allow: false, reason: "first_party_only" },
  ],
  [
    "firstPartyOnly refuses a client acting for itself even where clients are allowed",
    client(["profile:write"]),
    { scopes: ["profile:write"], allowClients: true, firstPartyOnly: true },
    null,
    { allow: false, reason: "first_party_only" },
  ],
  [
    "firstPartyOnly lets a first-party app in with an old sign-in (no step-up for reading)",
    signedIn({ firstParty: true, age: 10_000 }),
    { scopes: ["profile:write"], firstPartyOnly: true },
    null,
    { allow: true, via: "self" },
  ],
  [
    "a requirement without personPresent ignores the sign-in's age and the client",
    signedIn({ firstParty: false, age: 10_000 }),
    { scopes: ["profile:write"], ownerId: ALICE, action: "write" },
    null,
    { allow: true, via: "owner" },
  ],
];

describe("decide: personPresent", () => {
  it.each(presenceRows)("%s", (_name, principal, requirement, facts, expected) => {
    expect(decide(principal, requirement, undefined, facts)).toEqual(expected);
  });

  it("a principal rebuilt from the wire never meets it (the wire carries no sign-in facts)", () => {
    const original = signedIn({ firstParty: true, age: 0 });
    if (original.kind !== "user") throw new Error("unreachable");
    const rebuilt = fromWirePrincipal(toWirePrincipal(original));
    expect(decide(rebuilt, erase, undefined, presence())).toEqual({ allow: false, reason: "first_party_only" });
  });
});

// ---- evaluateAccess: the consent decision the owner's Durable Object makes -------------------------

const NOW = new Date("2026-06-01T12:00:00Z");
const BEFORE = new Date("2026-05-01T00:00:00Z");
const AFTER = new Date("2026-07-01T00:00:00Z");
const HEART_RATE = { id: "00000000-0000-7000-8000-000000000001", category: "vital_signs" };
const GLUCOSE = { id: "00000000-0000-7000-8000-000000000002", category: "laboratory" };
const STEPS = { id: "00000000-0000-7000-8000-000000000003", category: "physical_activity" };
const STUDY = "study-1";
const GROUP = "care-team";
const APP = "svc";

function grant(overrides: Partial<ConsentGrant> = {}): ConsentGrant {
  return {
    id: "g1",
    tenantId: T1,
    ownerId: ALICE,
    granteeType: "user",
    granteeId: BOB,
    actions: ["read"],
    categories: ["vital_signs"],
    variableIds: [],
    dataFrom: null,
    dataTo: null,
    expiresAt: null,
    revokedAt: null,
    ...overrides,
  };
}

function facts(grants: ConsentGrant[], overrides: Partial<AccessFacts> = {}): AccessFacts {
  return { ownerActive: true, custodian: false, groupIds: [], studyIds: [], grants, now: NOW, ...overrides };
}

type Caller = Extract<Principal, { kind: "user" | "client" }>;
const bob = user(["observations:read"], ["clinician_delegate"], BOB) as Caller;
const researcher = user(["observations:read"], ["researcher"], BOB) as Caller;
const app = client(["observations:write"]) as Caller;

function question(principal: Caller, overrides: Partial<AccessQuestion> = {}): AccessQuestion {
  return { principal, tenantId: T1, ownerId: ALICE, action: "read", ...overrides };
}

const allowed = (...grantIds: string[]): Partial<AccessDecision> => ({ allow: true, via: "grant", grantIds });
const deniedFor = (reason: AccessDenyReason): Partial<AccessDecision> => ({ allow: false, reason });

const accessRows: Array<[string, AccessQuestion, AccessFacts, Partial<AccessDecision>]> = [
  // owner and custodian
  [
    "the owner reads everything",
    question(user(["observations:read"]) as Caller),
    facts([]),
    { allow: true, via: "owner", scope: "all" },
  ],
  [
    "a custodian acts as the owner",
    question(user(["observations:read"], ["data_custodian"], BOB) as Caller),
    facts([], { custodian: true }),
    { allow: true, via: "custodian", scope: "all" },
  ],
  [
    "a custodian of another tenant is refused",
    question(user(["observations:read"], ["data_custodian"], BOB, T2) as Caller),
    facts([], { custodian: true }),
    deniedFor("wrong_tenant"),
  ],
  [
    "a grant to an unknown owner opens nothing",
    question(bob),
    facts([grant()], { ownerActive: false }),
    deniedFor("unknown_owner"),
  ],
  // delegate (a user grantee): only what is granted
  ["a delegate without a grant is refused", question(bob), facts([]), deniedFor("no_grant")],
  ["a delegate reads with a grant", question(bob), facts([grant()]), allowed("g1")],
  [
    "a category grant covers a variable of that category",
    question(bob, { data: { variable: HEART_RATE } }),
    facts([grant()]),
    allowed("g1"),
  ],
  [
    "a category grant does not cover another category",
    question(bob, { data: { variable: GLUCOSE } }),
    facts([grant()]),
    deniedFor("out_of_scope"),
  ],
  [
    "a variable grant covers that variable",
    question(bob, { data: { variable: GLUCOSE } }),
    facts([grant({ categories: [], variableIds: [GLUCOSE.id] })]),
    allowed("g1"),
  ],
  [
    "a variable grant does not cover another variable of the same category",
    question(bob, { data: { variable: { id: "00000000-0000-7000-8000-000000000009", category: "laboratory" } } }),
    facts([grant({ categories: [], variableIds: [GLUCOSE.id] })]),
    deniedFor("out_of_scope"),
  ],
  [
    "a grant naming no data covers nothing",
    question(bob, { data: { variable: HEART_RATE } }),
    facts([grant({ categories: [], variableIds: [] })]),
    deniedFor("out_of_scope"),
  ],
  [
    "of two grants, only the one covering the variable is used",
    question(bob, { data: { variable: GLUCOSE } }),
    facts([grant(), grant({ id: "g2", categories: ["laboratory"] })]),
    allowed("g2"),
  ],
  [
    "a read grant does not allow writing",
    question(bob, { action: "write" }),
    facts([grant()]),
    deniedFor("action_not_granted"),
  ],
  // data window
  [
    "a window inside the grant's data window is allowed",
    question(bob, { data: { from: BEFORE, to: NOW } }),
    facts([grant({ dataFrom: new Date("2026-01-01T00:00:00Z") })]),
    allowed("g1"),
  ],
  [
    "a window before the grant's data window is refused",
    question(bob, { data: { from: new Date("2025-01-01T00:00:00Z"), to: new Date("2025-02-01T00:00:00Z") } }),
    facts([grant({ dataFrom: new Date("2026-01-01T00:00:00Z") })]),
    deniedFor("outside_window"),
  ],
  [
    "a window ending where the grant's begins is refused (half-open)",
    question(bob, { data: { to: BEFORE } }),
    facts([grant({ dataFrom: BEFORE })]),
    deniedFor("outside_window"),
  ],
  [
    "a window after the grant's data window is refused",
    question(bob, { data: { from: AFTER } }),
    facts([grant({ dataTo: NOW })]),
    deniedFor("outside_window"),
  ],
  // expiry and revocation
  ["an expired grant opens nothing", question(bob), facts([grant({ expiresAt: BEFORE })]), deniedFor("expired")],
  ["a grant expiring later is live", question(bob), facts([grant({ expiresAt: AFTER })]), allowed("g1")],
  [
    "a grant expiring this very instant has expired",
    question(bob),
    facts([grant({ expiresAt: NOW })]),
    deniedFor("expired"),
  ],
  ["a revoked grant opens nothing", question(bob), facts([grant({ revokedAt: BEFORE })]), deniedFor("revoked")],
  [
    "a revoked grant beside a live one: the live one is used",
    question(bob),
    facts([grant({ revokedAt: BEFORE }), grant({ id: "g2" })]),
    allowed("g2"),
  ],
  // tenant
  [
    "a principal of another tenant is refused even with a grant",
    question(user(["observations:read"], ["clinician_delegate"], BOB, T2) as Caller),
    facts([grant()]),
    deniedFor("wrong_tenant"),
  ],
  [
    "a grant recorded in another tenant does not apply",
    question(bob),
    facts([grant({ tenantId: T2 })]),
    deniedFor("no_grant"),
  ],
  [
    "a grant of another owner does not apply",
    question(bob),
    facts([grant({ ownerId: "carol" })]),
    deniedFor("no_grant"),
  ],
  // groups
  [
    "a member of a granted group reads",
    question(bob),
    facts([grant({ granteeType: "group", granteeId: GROUP })], { groupIds: [GROUP] }),
    allowed("g1"),
  ],
  [
    "a non-member of a granted group is refused",
    question(bob),
    facts([grant({ granteeType: "group", granteeId: GROUP })]),
    deniedFor("no_grant"),
  ],
  // plugins (issue 14): a plugin grant feeds the plugin data API only, never a caller of the API
  [
    "a grant to a plugin opens nothing to a person",
    question(bob),
    facts([grant({ granteeType: "plugin", granteeId: "n-of-1" })]),
    deniedFor("no_grant"),
  ],
  // researcher
  [
    "a researcher member of the study reads through the study grant",
    question(researcher, { studyId: STUDY, data: { variable: HEART_RATE } }),
    facts([grant({ granteeType: "study", granteeId: STUDY })], { studyIds: [STUDY] }),
    allowed("g1"),
  ],
  [
    "a study grant for vital signs does not open labs",
    question(researcher, { studyId: STUDY, data: { variable: GLUCOSE } }),
    facts([grant({ granteeType: "study", granteeId: STUDY })], { studyIds: [STUDY] }),
    deniedFor("out_of_scope"),
  ],
  [
    "a researcher who is not a member of the study is refused",
    question(researcher, { studyId: STUDY }),
    facts([grant({ granteeType: "study", granteeId: STUDY })]),
    deniedFor("not_study_member"),
  ],
  [
    "a study member without the researcher role is refused",
    question(bob, { studyId: STUDY }),
    facts([grant({ granteeType: "study", granteeId: STUDY })], { studyIds: [STUDY] }),
    deniedFor("missing_role"),
  ],
  [
    "a study grant does not open the owner's identified record",
    question(researcher),
    facts([grant({ granteeType: "study", granteeId: STUDY })], { studyIds: [STUDY] }),
    deniedFor("no_grant"),
  ],
  [
    "a grant to another study does not apply",
    question(researcher, { studyId: STUDY }),
    facts([grant({ granteeType: "study", granteeId: "study-2" })], { studyIds: [STUDY] }),
    deniedFor("no_grant"),
  ],
  [
    "a user grant does not apply on the research path",
    question(researcher, { studyId: STUDY }),
    facts([grant()], { studyIds: [STUDY] }),
    deniedFor("no_grant"),
  ],
  [
    "a custodian on the research path is still only a researcher",
    question(researcher, { studyId: STUDY }),
    facts([], { custodian: true, studyIds: [STUDY] }),
    deniedFor("no_grant"),
  ],
  // app (client grantee)
  [
    "an app writes every row inside its grant",
    question(app, {
      action: "write",
      data: { items: [{ variableId: STEPS.id, category: STEPS.category, at: BEFORE }] },
    }),
    facts([grant({ granteeType: "client", granteeId: APP, actions: ["write"], categories: ["physical_activity"] })]),
    allowed("g1"),
  ],
  [
    "an app's batch with one row outside the grant's categories is refused whole",
    question(app, {
      action: "write",
      data: {
        items: [
          { variableId: STEPS.id, category: STEPS.category, at: BEFORE },
          { variableId: GLUCOSE.id, category: GLUCOSE.category, at: BEFORE },
        ],
      },
    }),
    facts([grant({ granteeType: "client", granteeId: APP, actions: ["write"], categories: ["physical_activity"] })]),
    deniedFor("out_of_scope"),
  ],
  [
    "an app's row outside the grant's data window is refused",
    question(app, {
      action: "write",
      data: { items: [{ variableId: STEPS.id, category: STEPS.category, at: AFTER }] },
    }),
    facts([
      grant({
        granteeType: "client",
        granteeId: APP,
        actions: ["write"],
        categories: ["physical_activity"],
        dataTo: NOW,
      }),
    ]),
    deniedFor("outside_window"),
  ],
  [
    "a client grant does not let a person signed in through that app read",
    question({ ...bob, clientId: APP }),
    facts([grant({ granteeType: "client", granteeId: APP })]),
    deniedFor("no_grant"),
  ],
  [
    "a user grant does not let an app acting for itself read",
    question(client(["observations:read"]) as Caller),
    facts([grant({ granteeId: APP })]),
    deniedFor("no_grant"),
  ],
];

describe("evaluateAccess", () => {
  it.each(accessRows)("%s", (_name, q, f, expected) => {
    expect(evaluateAccess(q, f)).toMatchObject(expected);
  });

  it("narrows the scope to the grants that cover the asked data", () => {
    const decision = evaluateAccess(
      question(bob, { data: { variable: HEART_RATE } }),
      facts([grant({ dataFrom: BEFORE }), grant({ id: "g2", categories: ["laboratory"] })]),
    );
    expect(decision).toEqual({
      allow: true,
      via: "grant",
      grantIds: ["g1"],
      scope: [{ grantId: "g1", categories: ["vital_signs"], variableIds: [], from: BEFORE, to: null }],
    });
  });
});

describe("the Durable Object boundary", () => {
  it("round-trips a principal and a scope", () => {
    const p = user(
      ["observations:read"],
      ["researcher"],
      "00000000-0000-7000-8000-00000000000b",
      "00000000-0000-7000-8000-00000000000c",
    ) as Caller;
    expect(fromWirePrincipal(WirePrincipal.parse(toWirePrincipal(p)))).toEqual(p);
    const scope = {
      grantId: "00000000-0000-7000-8000-00000000000a",
      categories: ["vital_signs"],
      variableIds: [],
      from: BEFORE,
      to: null,
    };
    expect(fromWireScope(toWireScope(scope))).toEqual(scope);
  });

  it("refuses a malformed question", () => {
    expect(AuthorizeRequest.safeParse({ v: 1, tenant_id: "x" }).success).toBe(false);
  });
});

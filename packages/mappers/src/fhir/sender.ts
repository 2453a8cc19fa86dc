/**
 * Who sent a resource, for its local codes (issue 15): codings without a `system` (R4 Coding.system is
 * 0..1, "a code from an unidentified system") mean something only with their sender, so they are kept
 * under `localCodeSystem("fhir", sender)`.
 */
import type { Located, Scope } from "./document";
import { type JsonObject, obj, objs, str } from "./json";

/**
 * The resource's `meta.source` (R4 Meta.source: "a uri that identifies the source system of the
 * resource"), else the enclosing Bundle's, else the identifier of the first Organization among
 * `organizations` (References the resource type allows to be an Organization: Observation.performer,
 * MedicationRequest.requester and .performer, MedicationStatement.informationSource,
 * Immunization.performer.actor), taken from the Reference's own `identifier` or the Organization it
 * resolves to. Empty when none names one: the file is then the sender (`localCodeSystem` with
 * `MapContext.fileSha256`).
 *
 * @example
 * const sender = senderOf(located, container, scope, objs(o, "performer").map(([, p]) => p));
 */
export function senderOf(
  located: Located,
  container: Located,
  scope: Scope,
  organizations: readonly JsonObject[] = [],
): string {
  const o = located.resource;
  const source = str(obj(o, "meta"), "source") ?? str(obj(located.bundle ?? container.bundle, "meta"), "source");
  if (source !== undefined && source.trim() !== "") return source;
  for (const reference of organizations) {
    const target = scope.index.resolve(str(reference, "reference"), located, container);
    const isOrganization =
      str(reference, "type") === "Organization" ||
      (target !== undefined && str(target.resource, "resourceType") === "Organization");
    if (!isOrganization) continue;
    const identifiers = [obj(reference, "identifier"), ...objs(target?.resource, "identifier").map(([, id]) => id)];
    for (const identifier of identifiers) {
      const value = str(identifier, "value");
      if (value === undefined || value.trim() === "") continue;
      const system = str(identifier, "system");
      return system === undefined ? value : `${system}|${value}`;
    }
  }
  return "";
}

/** Asks for the sender once, when a local code first needs it (most resources have none). */
export function lazySender(find: () => string): () => string {
  let sender: string | undefined;
  return () => {
    sender ??= find();
    return sender;
  };
}

/**
 * The opaque cursor of a list ordered by id (consents, analyses …): the last id of the page, encoded with
 * the list's name so that a cursor of one list is refused by another (`decodeCursor`).
 */
import { ApiError, decodeCursor, encodeCursor } from "@dfda/core";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id a page starts after, or undefined for the first page; `invalid_cursor` when it is not this list's. */
export function afterIdOf(list: string, cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const [id] = decodeCursor(list, cursor, 1);
  if (typeof id !== "string" || !UUID.test(id)) {
    throw new ApiError("invalid_cursor", {
      detail: "The cursor is not one this list produced. Request the first page without a cursor.",
      errors: [{ location: "query", path: "cursor", pointer: "/cursor", message: "Invalid cursor" }],
    });
  }
  return id;
}

/** The cursor of the page after the one ending with `lastId`. */
export const cursorAfterId = (list: string, lastId: string) => encodeCursor(list, [lastId]);

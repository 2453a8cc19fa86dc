/**
 * Generated openEHR canonical JSON for tests (openEHR RM 1.1 canonical JSON; the pulse archetype
 * openEHR-EHR-OBSERVATION.pulse.v2, rate at0004): used by the mapper's streaming tests in Node and by the
 * pipeline's big-composition test in workerd, so it imports nothing from Node.
 */

/** A pulse OBSERVATION with one point event, `i` minutes after `start` (UTC milliseconds). */
export function pulseObservation(i: number, start = Date.UTC(2024, 0, 1)): string {
  return JSON.stringify({
    _type: "OBSERVATION",
    name: { value: "Pulse" },
    archetype_node_id: "openEHR-EHR-OBSERVATION.pulse.v2",
    data: {
      _type: "HISTORY",
      archetype_node_id: "at0002",
      origin: { value: new Date(start).toISOString().replace(".000Z", "Z") },
      events: [
        {
          _type: "POINT_EVENT",
          archetype_node_id: "at0003",
          time: { value: new Date(start + i * 60_000).toISOString() },
          data: {
            _type: "ITEM_TREE",
            archetype_node_id: "at0001",
            items: [
              { _type: "ELEMENT", archetype_node_id: "at0004", value: { magnitude: 60 + (i % 40), units: "/min" } },
            ],
          },
        },
      ],
    },
  });
}

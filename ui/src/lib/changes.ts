// Boards and cards refresh when the data they show changes: every write in the shell emits
// `data-changed` with the entity it touched. `onChange` subscribes a component for as long as it
// is mounted; `listen` is the same outside a component.
import { onMount } from "svelte";
import { backend } from "../ipc/backend";
import type { DataChanged } from "../ipc/bindings";
import { showError } from "./notify.svelte";

/** What a write can touch: the names the shell sends (generated from Rust). */
export type Entity = DataChanged["entity"];

type Subscribe = (handler: (entity: Entity) => void) => Promise<() => void>;

/**
 * Calls `fn(entity)` after every write to one of `entities` (or to anything, with "all"), from
 * now until the returned stop is called. Stopping before the subscription is ready is safe: it is
 * dropped as soon as it arrives, and nothing is called after the stop.
 */
export function listen(
  entities: readonly Entity[] | "all",
  fn: (entity: Entity) => void,
  subscribe: Subscribe = backend.onDataChanged,
): () => void {
  let stopped = false;
  let off: (() => void) | undefined;
  subscribe((entity) => {
    if (!stopped && (entities === "all" || entities.includes(entity))) fn(entity);
  }).then(
    (unlisten) => {
      if (stopped) unlisten();
      else off = unlisten;
    },
    (e) => {
      if (!stopped) showError(e);
    },
  );
  return () => {
    stopped = true;
    off?.();
    off = undefined;
  };
}

/** `listen` for the life of the calling component: call it while the component initialises. */
export function onChange(entities: readonly Entity[] | "all", fn: (entity: Entity) => void) {
  onMount(() => listen(entities, fn));
}

/**
 * A System as the checker explores it: the members of the checker's Model (checker/model.ts)
 * that a System answers by itself, so that a model over a System is these plus its name and
 * properties. Written once here because every model over a System (Mesos, MesosLite, the toy
 * worlds of the tests) needs the same adapter. The type is a shape, not an import: spec imports
 * nothing of the checker (as SharedInterner in definition.ts), and a caller that spreads this
 * into a Model has the compiler check that the two agree.
 */
import type { SharedInterner, WorldView } from './definition.ts';
import type { Visibility } from './partial-order.ts';
import type { System } from './system.ts';

export interface SystemAsModel {
  readonly width: number;
  init(push: (s: Int32Array) => void): void;
  actions(s: Int32Array, push: (a: number) => void): void;
  next(s: Int32Array, a: number, out: Int32Array): boolean;
  isFault(a: number): boolean;
  quiescent(s: Int32Array): boolean;
  /** Only with a visibility: partial-order reduction needs to know what the properties read. */
  ample?(s: Int32Array, enabled: Int32Array, n: number, push: (a: number) => void): void;
  /** Only when the system has interchangeable components (symmetry reduction). */
  canonicalize?(s: Int32Array, out: Int32Array): void;
  shareInterning(shared: SharedInterner): void;
  syncShared(): void;
  formatAction(s: Int32Array, a: number): string;
  formatState(s: Int32Array): WorldView;
}

/** The checker's view of `sys`; with `visibility` (what the model's properties read) it offers partial-order reduction. */
export function asModel(sys: System, visibility?: Visibility): SystemAsModel {
  return {
    width: sys.width,
    init: (push) => sys.init(push),
    actions: (s, push) => sys.actions(s, push),
    // The checker hands `out` pre-filled with a copy of `s` (checker/model.ts), so skip that copy.
    next: (s, a, out) => sys.nextInPlace(s, a, out),
    isFault: (a) => sys.isFault(a),
    quiescent: (s) => sys.quiescent(s),
    ...(visibility ? { ample: (s: Int32Array, enabled: Int32Array, n: number, push: (a: number) => void) => sys.ample(s, enabled, n, visibility, push) } : {}),
    ...(sys.hasSymmetry ? { canonicalize: (s: Int32Array, out: Int32Array) => sys.canonicalize(s, out) } : {}),
    shareInterning: (shared) => sys.shareInterning(shared),
    syncShared: () => sys.syncInterned(),
    formatAction: (s, a) => sys.describe(s, a).label,
    formatState: (s) => sys.view(s),
  };
}

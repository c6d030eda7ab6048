// Data one plugin computes at an early extension point and reads later in
// the same scheduling cycle (e.g. PreFilter → Filter), keyed by typed keys.

/** Values that must be copied when the state is cloned for what-if runs. */
export interface StateData {
  clone(): StateData;
}

export class StateKey<T extends StateData> {
  // The phantom field keeps T part of the type.
  declare private readonly _t: T;
  constructor(readonly name: string) {}
}

export class CycleState {
  private readonly data = new Map<StateKey<StateData>, StateData>();
  /** Plugins whose PreScore returned Skip; their Score is not run. */
  readonly skipScorePlugins = new Set<string>();
  /** Plugins whose PreFilter returned Skip; their Filter is not run. */
  readonly skipFilterPlugins = new Set<string>();

  write<T extends StateData>(key: StateKey<T>, value: T): void {
    this.data.set(key as StateKey<StateData>, value);
  }

  read<T extends StateData>(key: StateKey<T>): T | undefined {
    return this.data.get(key as StateKey<StateData>) as T | undefined;
  }

  delete(key: StateKey<StateData>): void {
    this.data.delete(key);
  }

  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, v.clone());
    for (const p of this.skipFilterPlugins) c.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) c.skipScorePlugins.add(p);
    return c;
  }
}

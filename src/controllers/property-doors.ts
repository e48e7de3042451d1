/**
 * Property types checked at the door: each property the host sets is checked against the one table in
 * `core/config-check.ts`. A wrong type is a `config` error naming the property (loads refuse to run while one
 * stands, so nothing is sent with it), and a change either way reloads, to show or clear the error. The check
 * runs on connect before the session's token request, so it must be the host's first controller.
 */
import type { PropertyValues, ReactiveController, ReactiveControllerHost } from 'lit';
import { checkProperty, checkedProperties } from '../core/config-check.ts';
import type { HeidiError } from '../core/errors.ts';

export class PropertyDoorsController implements ReactiveController {
  private readonly _invalid = new Map<string, HeidiError>();

  constructor(
    private readonly _host: ReactiveControllerHost & object,
    private readonly _reload: () => void,
  ) {
    _host.addController(this);
  }

  /** The first property set to a wrong type, as a `config` error. */
  get error(): HeidiError | undefined {
    return this._invalid.values().next().value;
  }

  hostConnected(): void {
    for (const name of checkedProperties()) this.check(name, (this._host as Record<string, unknown>)[name], false);
  }

  /** Record whether `value` fits property `name`; true when it does. */
  check(name: string, value: unknown, reload = true): boolean {
    const error = checkProperty(name, value);
    const was = this._invalid.has(name);
    if (error) this._invalid.set(name, error);
    else this._invalid.delete(name);
    if (reload && (error || was)) this._reload();
    return !error;
  }

  /** From the host's `willUpdate`: every changed property passes the door. */
  checkChanged(changed: PropertyValues): void {
    for (const name of changed.keys()) this.check(String(name), (this._host as Record<string, unknown>)[String(name)]);
  }
}

/**
 * Plain accessors (not Lit reactive properties, which Lit adopts itself) that a host set before the element's
 * script upgraded it are own properties hiding the setters: take their values through the setters.
 */
export function adoptEarlyProperties<T extends object>(element: T, names: readonly (keyof T & string)[]): void {
  for (const name of names) {
    if (!Object.hasOwn(element, name)) continue;
    const early = element[name];
    delete element[name];
    element[name] = early;
  }
}

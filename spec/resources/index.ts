/**
 * Resources (Mesos `Resources`, `Value`, `ResourceQuantities`) as plain, canonical JSON data.
 * See resources.ts for the representation, values.ts for fixed-point scalars and ranges,
 * text.ts for the `cpus:2;mem:1024` syntax and wire.ts for the v1 JSON form.
 */
export * from './values.ts';
export * from './resources.ts';
export * from './text.ts';
export * from './wire.ts';

/**
 * Scalar aliases for protobuf field types that JSON cannot tell apart from `number` or `string`.
 *
 * The aliases carry JSDoc tags that typescript-json-schema copies into the generated schemas
 * (`type: integer` plus a `format` naming the protobuf width, `format: byte` for Base64), so the
 * schemas say exactly what the wire says. The aliases deliberately have no description text:
 * the generator inlines an alias's description into every field that uses it.
 *
 * Limitation of the generator: an array of an alias (`UInt32[]`) loses the tags (its items come
 * out as plain `number`/`string`); the descriptor/schema agreement test tolerates exactly that.
 */

// A signed 32-bit integer (protobuf int32); JSON number without a fraction.
/** @TJS-type integer
 * @format int32 */
export type Int32 = number;

// A signed 64-bit integer (protobuf int64). JSON number; values beyond 2^53 lose precision in JS.
/** @TJS-type integer
 * @format int64 */
export type Int64 = number;

// An unsigned 32-bit integer (protobuf uint32).
/** @TJS-type integer
 * @format uint32 */
export type UInt32 = number;

// An unsigned 64-bit integer (protobuf uint64).
/** @TJS-type integer
 * @format uint64 */
export type UInt64 = number;

// A protobuf double. Rendered with a fraction when integral (`15.0`); may be +-Infinity.
/** @format double */
export type Double = number;

// A protobuf `bytes` field: standard Base64 with padding, as Mesos renders it.
/** @format byte */
export type Bytes = string;

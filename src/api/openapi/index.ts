// Public surface of the OpenAPI module, for the API server.
export { builtinCatalog, type BuiltinCatalog } from './builtin-definitions.js';
export { findDuplicateJsonFields } from './duplicate-fields.js';
export { buildOpenApiV2, type SwaggerV2Document } from './openapi-v2.js';
export { encodeOpenApiV2Protobuf, OPENAPI_V2_PROTOBUF_CONTENT_TYPE, wantsOpenApiV2Protobuf } from './openapi-v2-protobuf.js';
export { buildOpenApiV3, contentHash, type OpenApiOptions, type OpenApiV3Document, type OpenApiV3Root } from './openapi-v3.js';
export { customDefinitionName, resolveResources } from './resource-schemas.js';
export type { Definitions, FieldExtension, FieldExtensions, GroupVersionKind, JsonSchema, ResourceInfo } from './schema-types.js';
export {
  decodeFailureMessage,
  SchemaNotFoundError,
  validateAgainstSchema,
  type FieldError,
  type FieldValidationMode,
  type ValidateOptions,
  type ValidationResult,
} from './validate.js';

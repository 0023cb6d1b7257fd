/**
 * Every runtime symbol generated code may reference, with the module it comes from and whether
 * it is a type. Emitters name runtime symbols only through this table (as protobuf-es does with
 * `codegenv2/symbols.ts`), so the contract between generated code and the runtime is one list,
 * and every one of these names is reserved: a schema type called `Decimal` or `element` gets
 * another identifier instead of shadowing the runtime's.
 */

/** The one module generated code imports from. */
export const RUNTIME_MODULE = "@mpay-kit/runtime/codegen/v1";

// biome-ignore format: want this to read well
export const RUNTIME_SYMBOLS = {
  // descriptor builders
  builtin:                  { typeOnly: false },
  anyType:                  { typeOnly: false },
  simpleType:               { typeOnly: false },
  listType:                 { typeOnly: false },
  unionType:                { typeOnly: false },
  element:                  { typeOnly: false },
  attribute:                { typeOnly: false },
  complexType:              { typeOnly: false },
  operation:                { typeOnly: false },
  service:                  { typeOnly: false },
  // client and server
  SoapClient:               { typeOnly: false },
  createSoapRequestHandler: { typeOnly: false },
  SoapFault:                { typeOnly: false },
  operationFault:           { typeOnly: false },
  isOperationFault:         { typeOnly: false },
  ClientOptions:            { typeOnly: true },
  CallOptions:              { typeOnly: true },
  HeaderCallOptions:        { typeOnly: true },
  ResponseWithHeaders:      { typeOnly: true },
  ServerOptions:            { typeOnly: true },
  RequestContext:           { typeOnly: true },
  OperationHandler:         { typeOnly: true },
  // message security from the WSDL's policy
  withServerSecurity:       { typeOnly: false },
  withClientSecurity:       { typeOnly: false },
  SecuredServerOptions:     { typeOnly: true },
  SecuredClientOptions:     { typeOnly: true },
  // date-times
  dateTimeToDate:           { typeOnly: false },
  dateTimeFromDate:         { typeOnly: false },
  ToDateOptions:            { typeOnly: true },
  FromDateOptions:          { typeOnly: true },
  // descriptor types
  ServedDocument:           { typeOnly: true },
  ServiceMeta:              { typeOnly: true },
  OperationMeta:            { typeOnly: true },
  ElementMeta:              { typeOnly: true },
  ComplexTypeMeta:          { typeOnly: true },
  SimpleTypeMeta:           { typeOnly: true },
  AttributeMeta:            { typeOnly: true },
  TypeMeta:                 { typeOnly: true },
  Facets:                   { typeOnly: true },
  BuiltinTypeName:          { typeOnly: true },
  SecurityPolicy:           { typeOnly: true },
  // value types
  Decimal:                  { typeOnly: true },
  BigInteger:               { typeOnly: true },
  DateTime:                 { typeOnly: true },
  XsdDate:                  { typeOnly: true },
  XsdTime:                  { typeOnly: true },
  Duration:                 { typeOnly: true },
  QName:                    { typeOnly: true },
  XmlElement:               { typeOnly: true },
} as const satisfies Record<string, { readonly typeOnly: boolean }>;

export type RuntimeSymbol = keyof typeof RUNTIME_SYMBOLS;

export const RUNTIME_SYMBOL_NAMES: readonly RuntimeSymbol[] = Object.keys(RUNTIME_SYMBOLS) as RuntimeSymbol[];

/// `FieldError` lives in `Contracts`, so Domain code can use it without the HTTP layer. Re-exported
/// here while service files that import only `ServiceHTTP` move to `import Contracts`; delete this
/// file once none is left.
@_exported import struct Contracts.FieldError

import CHiredis

/// The hiredis version this module was built against, e.g. `0.14.1`.
public var hiredisVersion: String { "\(HIREDIS_MAJOR).\(HIREDIS_MINOR).\(HIREDIS_PATCH)" }

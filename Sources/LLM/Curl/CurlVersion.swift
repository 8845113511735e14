import CCurl

/// The linked libcurl's version, e.g. `7.88.1` (the first word of `curl_version()`).
public var libcurlVersion: String {
    guard let text = curl_version() else { return "unknown" }
    // "libcurl/7.88.1 OpenSSL/3.0.17 zlib/…"
    let first = String(cString: text).split(separator: " ").first.map(String.init) ?? ""
    return first.split(separator: "/").dropFirst().first.map(String.init) ?? first
}

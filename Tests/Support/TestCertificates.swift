import Foundation

/// A throwaway certificate authority made with `openssl` in a temporary folder: CA certificates
/// and server certificates it signs for the names a test needs.
public struct TestCertificates: Sendable {
    /// A certificate and its private key (PEM files).
    public struct Issued: Sendable {
        public let certificate: String
        public let key: String
    }

    public let folder: URL
    /// The CA that signs ``issue(_:subjectAltNames:)``'s certificates.
    public var caCertificate: String { folder.appendingPathComponent("ca.pem").path }
    /// Another CA that signed nothing a server presents.
    public var unknownCACertificate: String { folder.appendingPathComponent("unknown-ca.pem").path }

    /// Creates the folder with both CAs.
    public static func make() async throws -> TestCertificates {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lms-certs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await ShellScript.run(
            """
            cd "$1"
            for ca in ca unknown-ca; do
                openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
                    -subj "/CN=LMS test $ca" -keyout "$ca.key" -out "$ca.pem" \
                    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
            done
            """,
            [folder.path]
        )
        return TestCertificates(folder: folder)
    }

    /// A server certificate signed by the CA, e.g. `subjectAltNames: "DNS:localhost,IP:127.0.0.1"`.
    public func issue(_ name: String, subjectAltNames: String) async throws -> Issued {
        try await ShellScript.run(
            """
            cd "$1"
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$2" -keyout "$2.key" -out "$2.csr"
            printf 'subjectAltName=%s\\nextendedKeyUsage=serverAuth\\n' "$3" > "$2.ext"
            openssl x509 -req -in "$2.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile "$2.ext" -out "$2.pem"
            """,
            [folder.path, name, subjectAltNames]
        )
        return Issued(certificate: folder.appendingPathComponent("\(name).pem").path, key: folder.appendingPathComponent("\(name).key").path)
    }

    public func remove() { try? FileManager.default.removeItem(at: folder) }
}

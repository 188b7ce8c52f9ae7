import Foundation
import JWTKit

/// Key material of the tests: an HS256 secret and two RSA key pairs generated for these tests
/// only (`openssl genrsa 2048`); they protect nothing.
enum TestKeys {
    static let secret = "test-secret-for-service-http-0123456789"

    static let rsaPrivateKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC9sWcFJVufoK2N
        hAXgKO77nSHuGjPLEfGddzJy0yf9GpRjiYzuB+WGPpwEwBB8DvpFcK0Lo4lVEP/P
        4r5do2oI1kb6B6iWxW4aWlDSZGKgAk9WJlpmDt6Kj7WD6uXOZDw6a1Zw8dIDNa5S
        T8Yq+EqHk9xGFtObNnJAnfZE+0V2A8kkbExL3/OYvAgu++024gpBOL2jTCKN0JyV
        sEBS0w41/Q2UVEy/O0BG4v/xk6UfV+YXv9pxDGcaj8VqvpIE3aVxDMdkzh7s8Hjk
        cpOA5lpes/VEDPuQLGwshMHRJISOOfrfjFra+y5MltjRVX2LAsX9+kdcC220y6MJ
        pUO/ewwdAgMBAAECggEAHD4U/g2lWhtkq5y7+Tdu+XRYMGijTHlD9XNhRfpNSmBS
        No2st2XilP2uYgCsk6PxPDR99y0mjc1FoRB70lo5t84bbC+GuMf1UCQhQ2nhyzv8
        zvFP5UESfiPOXTE0fOmsk/AWQyOl5odwCF5LPWuRQSVRFvhgEgxlr1w1ZejZWywM
        b+ql5OCRagimm++oQlds+Fjgku06uYwJFvDpBC7CN1Vq11hDRLJ6Gi6LrPkaXoR6
        aFOl4AxCj4z5+UO1YvExqWdSuLBE1pAtf1ujOVLHUnF2chuhf35G4b1PUC74W5N0
        W30Hg4gEEoJnOYv1Bi/9nDvxqjMAuR4PoHuJJ77hkQKBgQDmWGYf5E/ly8UZQKql
        wfgPUEN+cljv3SlkCnoW6WzWhKYKV0bWCJvhCRur9tuXhEqsJ266D7pBsaymoiWZ
        ghJTK6Gx3ZLctHQefGxCssB3N48L+y6OZw1u2BVqtpuJOBPW6dZQp3gSOsmuSJP6
        2KHpxHbpJOihAMSve2SaBtfupQKBgQDS0ezO2HHwsFouZOKYsnxN/CAhzHUQOLUb
        /9hAE887D8lsnAMLg2BzH8zDPyl2oEowK72Rkjwa12tgoVSK7m0eElY1u6AfhxNy
        LOkw9/fuRXCG6PkynHl7Sh56k0Dvnu7m3siaF5vwhEiqw9yBeRdWqcon8SV6TiGd
        NgrIg+NmGQKBgGbdpUWqvO9/T1bWpR5+/9s+2dVXFVaQ6pINh7ZBqeQmusu1bCHb
        GFmnqp7iD/CbGInG1lDrAx+hS9viX24tQye3PW9j5tj/ETgoEmS61O6odg5ArurT
        JJGSmAXe5Jij3WBFbvr3vsxNSpG1QbhtE+mEXiIB5I05/ZvsO+H5GmctAoGANEUa
        OrrNnUiMQ3599DAkw80kRl0EFU6KEPQhMNn4goNKhKQ12Q/sxP54bVxmsmPRoRnn
        OYWRY3JPzDiT1pKA+XjAaTgo3khGWQOrmZmRnkEXQkvXJWZIdHoPDoMeEYtNXm6U
        PChoYHzb64L+VBeq4rDcT4TpruZaTTlN+SNCKVkCgYEA0vGuqFcJbWM9khivOwBj
        gocz27QNbHr0UtY38s0fAC+qEg5h0q+BPtDbtjdFi1DAIqLeRQI5TEpewpjMsV/b
        X0TD34mGWOUCMuAtgvF6ZGoHALh4ZUru+g9CIFXkhOlLcan4kmpQmuDvQhLvh7M6
        KpkCqVMTY9p85v+z0JWB6dg=
        -----END PRIVATE KEY-----
        """

    static let rsaPublicKeyPEM = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvbFnBSVbn6CtjYQF4Cju
        +50h7hozyxHxnXcyctMn/RqUY4mM7gflhj6cBMAQfA76RXCtC6OJVRD/z+K+XaNq
        CNZG+geolsVuGlpQ0mRioAJPViZaZg7eio+1g+rlzmQ8OmtWcPHSAzWuUk/GKvhK
        h5PcRhbTmzZyQJ32RPtFdgPJJGxMS9/zmLwILvvtNuIKQTi9o0wijdCclbBAUtMO
        Nf0NlFRMvztARuL/8ZOlH1fmF7/acQxnGo/Far6SBN2lcQzHZM4e7PB45HKTgOZa
        XrP1RAz7kCxsLITB0SSEjjn634xa2vsuTJbY0VV9iwLF/fpHXAtttMujCaVDv3sM
        HQIDAQAB
        -----END PUBLIC KEY-----
        """

    /// A second, unrelated private key: its signatures must not verify with `rsaPublicKeyPEM`.
    static let otherRSAPrivateKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCY00JRbV4cH39e
        7kQrLocWE0m+F0FnnKbN33ByYUJa0n+l15GeLvUhKucAb6JVvz/g2g0fzfptNX/8
        UfDILUBLIUaII95PgTzwnE+5FeZ/DQ646uynPL2shlyPwoTDw4N6tj4FUaEZaUZE
        RlDnWOJ100bB10+smqrunhzD2HXO6z+DbUuGVW9XCP9y5mPUsyQyapckk9/TzNW9
        YQGxBR5t+y07m1mNebN5c4IU6lwNmaHXO5ebsFQuZhn7QLuFVYa2gc+DWfgEiywf
        nzSbBIqMt0rGV4eh7xy44oWzhPWQAtIViX+6bxq+FtsdZ2TZ+N+M4J3Nf2d+27jK
        RuZ8QjfFAgMBAAECggEAGTunHgm4TwgWVZFyrkyQNQwPPMnbMeUywhhBQ+lyICEp
        vrNhUY8Vne8sVVfuo54gc8WdAszVgJWjoat9Mu1hybs0nu2JMHMOzE2KzkJi8e8G
        fhrFOKG1/EKdDYbZDqJSrFQN2SlOt62NqAqSI3imFOftrWYZu3k4KDjxV+wpcMte
        jrF19KF6yIGBJjbjLctETPyFvK0rw5bArTmjvzETmzyY2do94GnsJYzILZizNBm2
        mXXsw+/nhWwJCgLlYmJ1xb1EIUluKb90U2M+cLRF6pOByGRgXBzPt0Vm42dHeS4P
        QY4bRwAo5lxc56b5QCg+5aq+vF0sCEUmqsmUkUuwewKBgQDIKL7vRGtBLBz6Ltm+
        CQ25IQJ5L97gtRxbyW8VaXKZ0mGxrId15hUJQZJRTZcYAT5yi7RDF48jjpBxAzt9
        Pqxco30so+lGlI7ebt+F1Q5QcPga8QGLP9N/NQ9fOwC2liNNajaOJgOTxjVUSC/X
        avf4pHAxNTR+YQECw48u6QasuwKBgQDDdfNV/WgPHuifOTCCBi5zjydM6phqQtis
        TDzBDGdbz1jEk6dA/z6L4KFhHGkSSsy4Ee21gnQr7asWmGNil6dn73eN7yXSCbmH
        4ZTQfb+X/bj84lcRdHdnnrKUx/bcRIeA/NlYXRfa3P3Fpw8dgRMN6AqfNG4exkSR
        DNXVUvqlfwKBgDBQPX4tiqIJjtkItAA92TUldZ5g4rBkpvq0zX5inInqkTA8z9my
        dsNsM3AyhVUC/9rQQ+up5SAVCmJtAFAD78DQqac7zVP/CdlA8+0u9yyNiCWgpNnC
        xz8+RH6dFFf+N3k5OP/oxxZFUpwMbJfXtxEqR/ZovEoBCihrocUV9El/AoGBAJF+
        J/6XHTE8Ma3rtQbkMQmFwpxHd+KJFZ3TNdoBMKKvigTxX6tLE7StJZMSwceC9DYD
        6myUyYK1bAfqsPf/qPX904FMRVu+L2NM8CftooMxstRSarssdYElKQsEeeXmAPNr
        wyE6Unpwy1moC+FLZfKRCe8N6PZxYTKTWkxrcvVjAoGASukdBjAYb6sGDn+/spSF
        BQpIZwk7LQ4BMD12aAuVDXK8QkfO4OdKKnMsbKQUG2YWyPl6X5sSk7Z4R55DEz6W
        MLcToqLCSydx51I7/0hurhOHX1ifsQZwedNeUPTqhKIDDj/2keWvnzc6dWHpUFOs
        MQWGbCNfT0cbzTYgWiwj8Qc=
        -----END PRIVATE KEY-----
        """
}

/// Claims the tests sign with JWTKit, so tokens can carry any shape (`exp` in the past, unknown roles).
struct CustomClaims: JWTPayload {
    var sub: SubjectClaim
    var tenant: String
    var roles: [String]?
    var exp: ExpirationClaim?
    var nbf: NotBeforeClaim?

    init(
        sub: String = "user-1",
        tenant: String = "acme",
        roles: [String]? = ["admin"],
        exp: Date? = Date().addingTimeInterval(3600),
        nbf: Date? = nil
    ) {
        self.sub = SubjectClaim(value: sub)
        self.tenant = tenant
        self.roles = roles
        self.exp = exp.map { ExpirationClaim(value: $0) }
        self.nbf = nbf.map { NotBeforeClaim(value: $0) }
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Signs test tokens with JWTKit (an implementation independent of `JWTVerification.mintHS256`).
enum TestTokens {
    static func hs256(_ claims: CustomClaims, secret: String = TestKeys.secret) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(claims)
    }

    static func rs256(_ claims: CustomClaims, privateKeyPEM: String = TestKeys.rsaPrivateKeyPEM) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: privateKeyPEM), digestAlgorithm: .sha256)
        return try await keys.sign(claims)
    }
}

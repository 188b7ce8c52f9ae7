import ServiceHTTP
import Testing

@Suite("Hex and base64url")
struct EncodingTests {
    @Test func hexIsLowercaseWithTwoDigitsPerByte() {
        #expect([0x00, 0x0f, 0xa0, 0xff].hexString == "000fa0ff")
        #expect([UInt8]().hexString == "")
    }

    @Test func base64URLHasNoPaddingAndRoundTrips() {
        let bytes: [UInt8] = [0xfb, 0xff, 0xbf, 0x01]
        #expect(Base64URL.encode(bytes) == "-_-_AQ")
        #expect(Base64URL.decode("-_-_AQ") == bytes)
        #expect(Base64URL.decode("-_-_AQ==") == nil)
        #expect(Base64URL.decode("a") == nil)
    }
}

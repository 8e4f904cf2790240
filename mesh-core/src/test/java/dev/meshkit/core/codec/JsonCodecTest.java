package dev.meshkit.core.codec;

import static dev.meshkit.core.codec.SampleFrames.ALICE;
import static dev.meshkit.core.codec.SampleFrames.BOB;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.Endpoint;
import dev.meshkit.api.MessageId;
import dev.meshkit.api.spi.Codec;
import dev.meshkit.api.spi.CodecProvider;
import dev.meshkit.api.wire.Envelope;
import dev.meshkit.api.wire.Frame;
import dev.meshkit.api.wire.FrameDecodeException;
import dev.meshkit.api.wire.FrameDecodeException.Problem;
import dev.meshkit.api.wire.FrameLimits;
import dev.meshkit.api.wire.PeerRecord;
import java.util.Base64;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonCodecTest {
    private final Codec codec = new JsonCodecProvider().create(FrameLimits.defaults());

    static Stream<Frame> allFrames() {
        return SampleFrames.all().stream();
    }

    private Frame decode(String json) throws FrameDecodeException {
        return codec.decode(json.getBytes(UTF_8));
    }

    private static Problem problemOf(Codec c, byte[] bytes) {
        return assertThrows(FrameDecodeException.class, () -> c.decode(bytes)).problem();
    }

    private Problem problemOf(String json) {
        return problemOf(codec, json.getBytes(UTF_8));
    }

    private static String hex(int seed) {
        return String.valueOf((char) ('a' + seed)).repeat(64);
    }

    private static String publish(String members) {
        return "{\"k\":\"publish\",\"t\":\"x\",\"o\":\"" + ALICE.hex() + "\",\"ts\":1,\"sq\":2,\"ttl\":3,\"h\":0,"
                + "\"p\":\"AQID\",\"pk\":\"AAAA\",\"s\":\"AAAA\"" + members + "}";
    }

    // ---- round trips and the shape of the encoding

    @ParameterizedTest
    @MethodSource("allFrames")
    void everyFrameRoundTrips(Frame frame) throws Exception {
        SampleFrames.assertSame(frame, codec.decode(codec.encode(frame)));
    }

    @ParameterizedTest
    @MethodSource("allFrames")
    void kindIsTheFirstMember(Frame frame) {
        String json = new String(codec.encode(frame), UTF_8);
        assertTrue(json.startsWith("{\"k\":\"" + frame.kind() + "\""), json);
    }

    @Test
    void encodingIsCompactAndLeavesOutNulls() {
        assertEquals("{\"k\":\"ping\",\"n\":42}", new String(codec.encode(new Frame.Ping(42)), UTF_8));
        assertEquals("{\"k\":\"peer-request\"}", new String(codec.encode(new Frame.PeerRequest()), UTF_8));
        assertEquals("{\"k\":\"bye\"}", new String(codec.encode(new Frame.Bye(null)), UTF_8));
        MessageId id = MessageId.fromBytes(new byte[16]);
        assertEquals("{\"k\":\"ihave\",\"is\":[\"" + id.hex() + "\"]}",
                new String(codec.encode(new Frame.IHave(List.of(id))), UTF_8));
        assertEquals("{\"k\":\"prune\",\"os\":[\"" + ALICE.hex() + "\"]}",
                new String(codec.encode(new Frame.Prune(List.of(ALICE))), UTF_8));
        assertEquals("{\"k\":\"peers\",\"ps\":[{\"id\":\"" + ALICE.hex() + "\",\"ep\":\"ws://192.0.2.7:7700/mesh\"},"
                        + "{\"ep\":\"mem://carol:0\"}]}",
                new String(codec.encode(SampleFrames.all().get(13)), UTF_8));
        String publish = new String(codec.encode(new Frame.Publish(new Envelope("t", ALICE, null, 5, 6, 7, 1,
                new byte[] {1, 2, 3}, new byte[] {0, 0, 0}, new byte[] {(byte) 0xff}), null)), UTF_8);
        assertEquals("{\"k\":\"publish\",\"t\":\"t\",\"o\":\"" + ALICE.hex() + "\",\"ts\":5,\"sq\":6,\"ttl\":7,"
                + "\"h\":1,\"p\":\"AQID\",\"pk\":\"AAAA\",\"s\":\"/w==\"}", publish);
    }

    @Test
    void documentedExamplesDecode() throws Exception {
        // The examples in docs/protocol.md; if this breaks, the document is wrong.
        Frame hello = decode("{\"k\":\"hello\",\"v\":1,\"net\":\"demo\",\"sch\":\"ed25519\","
                + "\"pk\":\"" + b64(32) + "\",\"ch\":\"" + b64(32) + "\",\"ls\":\"ws://203.0.113.5:7700\"}");
        assertEquals(Endpoint.parse("ws://203.0.113.5:7700"), ((Frame.Hello) hello).listen());
        Frame welcome = decode("{\"k\":\"welcome\",\"v\":1,\"net\":\"demo\",\"sch\":\"ed25519\",\"pk\":\"" + b64(32)
                + "\",\"ch\":\"" + b64(32) + "\",\"pf\":\"" + b64(64) + "\",\"ls\":\"ws://198.51.100.9:7700\","
                + "\"ps\":[{\"id\":\"" + hex(0) + "\",\"ep\":\"ws://192.0.2.1:7700\"},{\"ep\":\"wss://node.example:443\"}]}");
        assertEquals(2, ((Frame.Welcome) welcome).peers().size());
        Frame publish = decode("{\"k\":\"publish\",\"t\":\"chat\",\"o\":\"" + hex(0) + "\",\"d\":\"" + hex(1) + "\","
                + "\"ts\":1730000000123,\"sq\":17,\"ttl\":6,\"h\":1,\"p\":\"aGVsbG8=\",\"pk\":\"" + b64(32)
                + "\",\"s\":\"" + b64(64) + "\"}");
        assertEquals("hello", new String(((Frame.Publish) publish).envelope().payload(), UTF_8));
        assertInstanceOf(Frame.Refuse.class, decode("{\"k\":\"refuse\",\"r\":\"network-mismatch\",\"dt\":\"x\"}"));
    }

    private static String b64(int n) {
        return Base64.getEncoder().encodeToString(new byte[n]);
    }

    @Test
    void explicitNullAndAbsentMeanTheSame() throws Exception {
        assertNull(((Frame.Publish) decode(publish(",\"d\":null"))).envelope().destination());
        assertNull(((Frame.Publish) decode(publish(""))).envelope().destination());
        assertNull(((Frame.Hello) decode("{\"k\":\"hello\",\"v\":1,\"net\":\"n\",\"sch\":\"s\",\"pk\":\"\","
                + "\"ch\":\"\",\"ls\":null}")).listen());
        assertNull(((Frame.Bye) decode("{\"k\":\"bye\",\"r\":null}")).reason());
        assertEquals(List.of(), ((Frame.Welcome) decode("{\"k\":\"welcome\",\"v\":1,\"net\":\"n\",\"sch\":\"s\","
                + "\"pk\":\"\",\"ch\":\"\",\"pf\":\"\"}")).peers());
    }

    @Test
    void longsSurviveExactly() throws Exception {
        // 2^53 + 1 is the first integer a double cannot hold.
        Frame f = decode(publish("").replace("\"ts\":1", "\"ts\":9007199254740993")
                .replace("\"sq\":2", "\"sq\":-9223372036854775808"));
        assertEquals(9_007_199_254_740_993L, ((Frame.Publish) f).envelope().timestamp());
        assertEquals(Long.MIN_VALUE, ((Frame.Publish) f).envelope().sequence());
        assertEquals(Long.MAX_VALUE, ((Frame.Ping) decode("{\"k\":\"ping\",\"n\":9223372036854775807}")).nonce());
    }

    @Test
    void whitespaceAndMemberOrderAreFree() throws Exception {
        Frame f = decode(" \n{ \"k\" :\t\"pong\" ,\r\n \"x\": [1, {\"y\": null}], \"n\" : 5 } \n");
        assertEquals(5, ((Frame.Pong) f).nonce());
    }

    @Test
    void unknownMembersOfEveryTypeAreSkipped() throws Exception {
        String extra = ",\"new1\":{\"a\":[1,2,{\"b\":\"c\"}],\"d\":true},\"new2\":[[],{}],\"new3\":\"s\","
                + "\"new4\":-1.5e300,\"new5\":false,\"new6\":null";
        assertEquals(7, ((Frame.Ping) decode("{\"k\":\"ping\"" + extra + ",\"n\":7}")).nonce());
        assertEquals(3, ((Frame.Publish) decode(publish(extra))).envelope().ttl());
        assertInstanceOf(Frame.PeerRequest.class, decode("{\"k\":\"peer-request\"" + extra + "}"));
        Frame.PeerList list = (Frame.PeerList) decode("{\"k\":\"peers\",\"ps\":[{\"ep\":\"mem://a\",\"since\":[1]}]"
                + extra + "}");
        assertEquals(1, list.peers().size());
    }

    // ---- peer lists drop bad entries one by one

    @Test
    void badPeerEntriesAreDroppedAndTheRestKept() throws Exception {
        String entries = String.join(",",
                "{\"id\":\"" + ALICE.hex() + "\",\"ep\":\"ws://192.0.2.1:7700\"}",
                "{\"ep\":\"this is not a url\"}",
                "{\"id\":\"xyz\",\"ep\":\"ws://192.0.2.2:7700\"}",
                "{\"ep\":\"mem://good\"}",
                "42",
                "\"ws://192.0.2.3:7700\"",
                "null",
                "[\"ws://192.0.2.4:7700\"]",
                "{\"id\":\"" + BOB.hex() + "\"}",
                "{\"ep\":7700}",
                "{\"ep\":\"ftp://192.0.2.5\"}",
                "{\"id\":1,\"ep\":\"ws://192.0.2.6:7700\"}",
                "{\"ep\":\"ws://192.0.2.7:7700\",\"ep\":\"ws://192.0.2.8:7700\"}",
                "{\"id\":\"" + BOB.hex().toUpperCase() + "\",\"ep\":\"WS://LOCALHOST:7700/\",\"later\":{\"x\":1}}",
                "{\"id\":null,\"ep\":\"wss://[::1]\"}");
        List<PeerRecord> expected = List.of(
                new PeerRecord(ALICE, Endpoint.parse("ws://192.0.2.1:7700")),
                new PeerRecord(null, Endpoint.parse("mem://good")),
                new PeerRecord(BOB, Endpoint.parse("ws://127.0.0.1:7700")),
                new PeerRecord(null, Endpoint.parse("wss://[::1]:443")));
        assertEquals(expected, ((Frame.PeerList) decode("{\"k\":\"peers\",\"ps\":[" + entries + "]}")).peers());
        Frame.Welcome w = (Frame.Welcome) decode("{\"k\":\"welcome\",\"v\":1,\"net\":\"n\",\"sch\":\"s\",\"pk\":\"\","
                + "\"ch\":\"\",\"pf\":\"\",\"ps\":[" + entries + "]}");
        assertEquals(expected, w.peers());
    }

    @Test
    void peerListItselfMustBeAnArray() {
        assertEquals(Problem.INVALID_FIELD, problemOf("{\"k\":\"peers\",\"ps\":{\"ep\":\"mem://a\"}}"));
        assertEquals(Problem.INVALID_FIELD, problemOf("{\"k\":\"peers\",\"ps\":null}"));
        assertEquals(Problem.INVALID_FIELD, problemOf("{\"k\":\"peers\"}"));
    }

    // ---- limits

    private static FrameLimits limits(int maxDepth, int maxArray, int maxString, int maxPayload) {
        FrameLimits d = FrameLimits.defaults();
        return new FrameLimits(d.maxFrameBytes(), d.handshakeBytes(), d.controlBytes(), d.listBytes(),
                d.publishBytes(), maxPayload, maxDepth, maxArray, maxString);
    }

    @Test
    void anythingOverTheOverallLimitIsTooLargeBeforeParsing() {
        // Garbage would be MALFORMED if it were parsed.
        byte[] garbage = new byte[(1 << 20) + 1];
        assertEquals(Problem.TOO_LARGE, problemOf(codec, garbage));
    }

    @Test
    void perKindLimitIsCheckedBeforeParsing() {
        // A ping is limited to 4 KiB; the rest is not even JSON.
        String bigPing = "{\"k\":\"ping\",\"n\":1,\"x\":\"" + "\u0000".repeat(5000);
        assertEquals(Problem.TOO_LARGE, problemOf(bigPing));
        String unknown = "{\"k\":\"future-kind\"," + " ".repeat(5000) + "}";
        assertEquals(Problem.TOO_LARGE, problemOf(unknown));
    }

    @Test
    void perKindLimitsDiffer() throws Exception {
        String padding = ",\"pad\":\"" + "x".repeat(5000) + "\"";
        assertEquals(Problem.TOO_LARGE, problemOf("{\"k\":\"ping\",\"n\":1" + padding + "}"));
        assertInstanceOf(Frame.Publish.class, decode(publish(padding)));
        String hello = "{\"k\":\"hello\",\"v\":1,\"net\":\"n\",\"sch\":\"s\",\"pk\":\"\",\"ch\":\"\"";
        assertInstanceOf(Frame.Hello.class, decode(hello + ",\"pad\":\"" + "x".repeat(15_000) + "\"}"));
        assertEquals(Problem.TOO_LARGE, problemOf(hello + ",\"pad\":\"" + "x".repeat(17_000) + "\"}"));
    }

    @Test
    void frameAtExactlyItsLimitIsAccepted() throws Exception {
        String head = "{\"k\":\"ping\",\"n\":1,\"x\":\"";
        int fill = (4 << 10) - head.length() - 2;
        assertInstanceOf(Frame.Ping.class, decode(head + "x".repeat(fill) + "\"}"));
        assertEquals(Problem.TOO_LARGE, problemOf(head + "x".repeat(fill + 1) + "\"}"));
    }

    @Test
    void tenThousandOpenBracketsAreTooDeepWithoutStackOverflow() {
        String deep = "{\"k\":\"peers\",\"ps\":[],\"x\":" + "[".repeat(10_000);
        assertEquals(Problem.TOO_DEEP, problemOf(deep));
        String deepObjects = "{\"k\":\"publish\",\"x\":" + "{\"a\":".repeat(10_000);
        assertEquals(Problem.TOO_DEEP, problemOf(deepObjects));
        String deepInPeerEntry = "{\"k\":\"peers\",\"ps\":[{\"ep\":\"mem://a\",\"x\":" + "[".repeat(10_000);
        assertEquals(Problem.TOO_DEEP, problemOf(deepInPeerEntry));
    }

    @Test
    void bareBracketsAreNotAFrame() {
        // Not an object at all: refused by the first byte, whatever the depth.
        assertEquals(Problem.MALFORMED, problemOf("[".repeat(10_000)));
    }

    @Test
    void depthLimitCountsTheFrameObject() throws Exception {
        // maxDepth 8: the frame object plus seven arrays fits, eight do not.
        assertInstanceOf(Frame.Ping.class, decode("{\"k\":\"ping\",\"n\":1,\"x\":" + "[".repeat(7) + "]".repeat(7) + "}"));
        assertEquals(Problem.TOO_DEEP, problemOf("{\"k\":\"ping\",\"n\":1,\"x\":" + "[".repeat(8) + "]".repeat(8) + "}"));
        Codec shallow = new JsonCodec(limits(2, 1000, 1000, 1000));
        assertEquals(Problem.TOO_DEEP, problemOf(shallow, "{\"k\":\"peers\",\"ps\":[{\"ep\":\"mem://a\"}]}".getBytes(UTF_8)));
        assertInstanceOf(Frame.PeerList.class, shallow.decode("{\"k\":\"peers\",\"ps\":[]}".getBytes(UTF_8)));
    }

    @Test
    void longArraysAreTooLong() throws Exception {
        String entry = "{\"ep\":\"mem://a\"}";
        String thousand = String.join(",", java.util.Collections.nCopies(1000, entry));
        assertEquals(1000, ((Frame.PeerList) decode("{\"k\":\"peers\",\"ps\":[" + thousand + "]}")).peers().size());
        assertEquals(Problem.TOO_LONG, problemOf("{\"k\":\"peers\",\"ps\":[" + thousand + "," + entry + "]}"));
        // Bad entries count too: skipping must not make the array free.
        String bad = String.join(",", java.util.Collections.nCopies(1001, "0"));
        assertEquals(Problem.TOO_LONG, problemOf("{\"k\":\"peers\",\"ps\":[" + bad + "]}"));
        // So do arrays in members we skip, at any depth.
        assertEquals(Problem.TOO_LONG, problemOf(publish(",\"x\":[" + bad + "]")));
        assertEquals(Problem.TOO_LONG, problemOf(publish(",\"x\":{\"y\":[[" + bad + "]]}")));
        assertInstanceOf(Frame.Publish.class, decode(publish(",\"x\":[" + bad.substring(2) + "]")));
    }

    @Test
    void longStringsAreTooLong() throws Exception {
        Codec c = new JsonCodec(limits(8, 1000, 100, 1000));
        String ok = "x".repeat(100);
        String tooLong = "x".repeat(101);
        assertInstanceOf(Frame.Refuse.class, c.decode(("{\"k\":\"refuse\",\"r\":\"" + ok + "\"}").getBytes(UTF_8)));
        assertEquals(Problem.TOO_LONG, problemOf(c, ("{\"k\":\"refuse\",\"r\":\"" + tooLong + "\"}").getBytes(UTF_8)));
        assertEquals(Problem.TOO_LONG, problemOf(c, ("{\"k\":\"bye\",\"" + tooLong + "\":1}").getBytes(UTF_8)));
        assertEquals(Problem.TOO_LONG, problemOf(c, ("{\"k\":\"bye\",\"x\":[\"" + tooLong + "\"]}").getBytes(UTF_8)));
        assertEquals(Problem.TOO_LONG, problemOf(c, ("{\"k\":\"bye\",\"x\":" + "1".repeat(101) + "}").getBytes(UTF_8)));
        assertEquals(Problem.TOO_LONG,
                problemOf(c, ("{\"k\":\"peers\",\"ps\":[{\"ep\":\"mem://" + tooLong + "\"}]}").getBytes(UTF_8)));
    }

    @Test
    void payloadLimitIsCheckedBeforeDecodingBase64() throws Exception {
        Codec c = new JsonCodec(limits(8, 1000, 1 << 20, 10));
        String ten = Base64.getEncoder().encodeToString(new byte[10]);
        String eleven = Base64.getEncoder().encodeToString(new byte[11]);
        assertEquals(10, ((Frame.Publish) c.decode(publish("").replace("AQID", ten).getBytes(UTF_8)))
                .envelope().payload().length);
        // 11 bytes need 16 characters, as 10 do: this one passes the length bound and fails after decoding.
        assertEquals(16, eleven.length());
        assertEquals(Problem.TOO_LARGE, problemOf(c, publish("").replace("AQID", eleven).getBytes(UTF_8)));
        // Far too long to be a 10-byte payload and not even base64: refused on length alone.
        assertEquals(Problem.TOO_LARGE, problemOf(c, publish("").replace("AQID", "!".repeat(5000)).getBytes(UTF_8)));
    }

    @Test
    void defaultPayloadLimitHolds() throws Exception {
        byte[] max = new byte[512 << 10];
        Frame ok = new Frame.Publish(SampleFrames.envelope(null, max), null);
        assertEquals(max.length, ((Frame.Publish) codec.decode(codec.encode(ok))).envelope().payload().length);
        byte[] over = codec.encode(new Frame.Publish(SampleFrames.envelope(null, new byte[(512 << 10) + 1]), null));
        assertEquals(Problem.TOO_LARGE, problemOf(codec, over));
    }

    // ---- malformed input

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "\n\t", "null", "42", "\"ping\"", "[]", "{", "{\"", "{\"k", "{\"k\"", "{\"k\":", "{\"k\":\"pi",
        "{\"k\":\"ping\"", "{\"k\":\"ping\",", "{\"k\":\"ping\",\"n\":1", "{\"k\":\"ping\",\"n\":1,}",
        "{\"k\":\"ping\",\"n\":1} x", "{\"k\":\"ping\",\"n\":1}{}", "{\"k\":\"ping\",\"n\":1}}",
        "{\"k\":\"ping\",\"n\":01}", "{\"k\":\"ping\",\"n\":NaN}", "{\"k\":\"ping\",\"n\":1,\"x\":'y'}",
        "{\"k\":\"ping\",\"n\":1,\"x\":True}", "{\"k\":\"ping\",\"n\":1,x:1}", "{\"k\":\"ping\";\"n\":1}",
        "{\"k\" \"ping\"}", "{'k':'ping'}", "{k:\"ping\"}", "\ufeff{\"k\":\"ping\",\"n\":1}",
        "{\"k\":\"ping\",\"n\":1,\"x\":\"a\\qb\"}", "{\"k\":\"ping\",\"n\":1,\"x\":\"tab\there\"}",
        "{\"k\":\"pi\u0001ng\"}", "{\"k\":\"ping\",\"n\":1,\"x\":[1 2]}", "{\"k\":\"ping\",\"n\":1,\"x\":/*c*/1}",
    })
    void malformedJsonIsMalformed(String json) {
        assertEquals(Problem.MALFORMED, problemOf(json));
    }

    @Test
    void garbageAndBrokenUtf8AreMalformed() {
        assertEquals(Problem.MALFORMED, problemOf(codec, new byte[0]));
        assertEquals(Problem.MALFORMED, problemOf(codec, SampleFrames.bytes(1000, 99)));
        assertEquals(Problem.MALFORMED, problemOf(codec, new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'}));
        byte[] ok = "{\"k\":\"bye\",\"r\":\"xx\"}".getBytes(UTF_8);
        ok[ok.length - 4] = (byte) 0xc3; // a lead byte followed by an ASCII byte
        assertEquals(Problem.MALFORMED, problemOf(codec, ok));
        byte[] overlong = "{\"k\":\"bye\",\"r\":\"xx\"}".getBytes(UTF_8);
        overlong[overlong.length - 4] = (byte) 0xc0; // overlong encoding of '/'
        overlong[overlong.length - 3] = (byte) 0xaf;
        assertEquals(Problem.MALFORMED, problemOf(codec, overlong));
        byte[] surrogate = "{\"k\":\"bye\",\"r\":\"xxx\"}".getBytes(UTF_8);
        surrogate[surrogate.length - 5] = (byte) 0xed; // UTF-8 encoded lone surrogate U+D800
        surrogate[surrogate.length - 4] = (byte) 0xa0;
        surrogate[surrogate.length - 3] = (byte) 0x80;
        assertEquals(Problem.MALFORMED, problemOf(codec, surrogate));
        assertEquals(Problem.MALFORMED, assertThrows(FrameDecodeException.class, () -> codec.decode(null)).problem());
    }

    // ---- well-formed but invalid

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "{\"n\":1,\"k\":\"ping\"}", "{\"kind\":\"ping\"}", "{\"\\u006b\":\"ping\",\"n\":1}",
        "{\"k\":1}", "{\"k\":null}", "{\"k\":[\"ping\"]}", "{\"k\":\"p\\u0069ng\",\"n\":1}",
        "{\"k\":\"ping\"}", "{\"k\":\"ping\",\"n\":\"1\"}", "{\"k\":\"ping\",\"n\":1.5}", "{\"k\":\"ping\",\"n\":1e3}",
        "{\"k\":\"ping\",\"n\":9223372036854775808}", "{\"k\":\"ping\",\"n\":-9223372036854775809}",
        "{\"k\":\"ping\",\"n\":null}", "{\"k\":\"ping\",\"n\":1,\"n\":2}", "{\"k\":\"ping\",\"n\":1,\"k\":\"pong\"}",
        "{\"k\":\"auth\"}", "{\"k\":\"auth\",\"pf\":\"not base64!\"}", "{\"k\":\"auth\",\"pf\":1}",
        "{\"k\":\"refuse\"}", "{\"k\":\"refuse\",\"r\":null}", "{\"k\":\"bye\",\"r\":5}",
        "{\"k\":\"hello\",\"v\":-1,\"net\":\"n\",\"sch\":\"s\",\"pk\":\"\",\"ch\":\"\"}",
        "{\"k\":\"hello\",\"v\":2147483648,\"net\":\"n\",\"sch\":\"s\",\"pk\":\"\",\"ch\":\"\"}",
        "{\"k\":\"hello\",\"v\":1,\"net\":\"n\",\"sch\":\"s\",\"pk\":\"\"}",
        "{\"k\":\"hello\",\"v\":1,\"net\":\"n\",\"sch\":\"s\",\"pk\":\"\",\"ch\":\"\",\"ls\":\"not an endpoint\"}",
        "{\"k\":\"hello\",\"v\":1,\"net\":\"n\",\"sch\":\"s\",\"pk\":\"\",\"ch\":\"\",\"ls\":7700}",
        "{\"k\":\"welcome\",\"v\":1,\"net\":\"n\",\"sch\":\"s\",\"pk\":\"\",\"ch\":\"\"}",
    })
    void invalidFieldsAreInvalid(String json) {
        assertEquals(Problem.INVALID_FIELD, problemOf(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ",\"ttl\":256", ",\"ttl\":-1", ",\"h\":300", ",\"h\":-1", ",\"o\":\"abc\"", ",\"d\":\"xyz\"", ",\"d\":5",
        ",\"p\":\"%%%%\"", ",\"s\":null", ",\"t\":7", ",\"ts\":\"1\"", ",\"sq\":1.0",
    })
    void invalidPublishFieldsAreInvalid(String override) {
        String name = override.substring(2, override.indexOf('"', 2));
        // Remove the valid member of that name (if any) and add the bad one.
        String base = publish("").replaceAll(",\"" + name + "\":(\"[^\"]*\"|[-0-9]+)", "");
        assertEquals(Problem.INVALID_FIELD, problemOf(base.substring(0, base.length() - 1) + override + "}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"t", "o", "ts", "sq", "ttl", "h", "p", "pk", "s"})
    void everyPublishMemberButDestinationIsRequired(String name) {
        String json = publish("").replaceAll(",\"" + name + "\":(\"[^\"]*\"|[-0-9]+)", "");
        assertEquals(Problem.INVALID_FIELD, problemOf(json));
    }

    @Test
    void nodeIdsAreSixtyFourHexDigits() throws Exception {
        assertEquals(BOB, ((Frame.Publish) decode(publish(",\"d\":\"" + BOB.hex().toUpperCase() + "\"")))
                .envelope().destination());
        assertEquals(Problem.INVALID_FIELD, problemOf(publish(",\"d\":\" " + BOB.hex().substring(1) + "\"")));
        assertEquals(Problem.INVALID_FIELD, problemOf(publish(",\"d\":\"" + BOB.hex() + "00\"")));
        assertEquals(Problem.INVALID_FIELD, problemOf(publish(",\"d\":\"" + "g".repeat(64) + "\"")));
    }

    // ---- kinds

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"k\":\"gossip\"}", "{\"k\":\"\"}", "{\"k\":\"PING\",\"n\":1}", "{\"k\":\"a-very-long-future-kind\"}",
        "{\"k\":\"p\u00efng\"}", "{\"k\":\"ping \",\"n\":1}",
    })
    void unknownKindsAreUnknown(String json) {
        assertEquals(Problem.UNKNOWN_KIND, problemOf(json));
    }

    @Test
    void unknownKindIsReportedWithoutParsingTheRest() {
        assertEquals(Problem.UNKNOWN_KIND, problemOf("{\"k\":\"future\",\"x\":[[[[[[[[[[[[[[[[[[[[[[[["));
    }

    // ---- encoding refuses what decoding would refuse

    @Test
    void encoderRejectsFramesThePeerWouldRefuse() {
        assertThrows(IllegalArgumentException.class, () -> codec.encode(null));
        assertThrows(IllegalArgumentException.class,
                () -> codec.encode(new Frame.Publish(new Envelope("t", ALICE, null, 1, 1, 256, 0, new byte[0],
                        new byte[1], new byte[1]), null)));
        assertThrows(IllegalArgumentException.class,
                () -> codec.encode(new Frame.Publish(SampleFrames.envelope(null, new byte[1]).forwarded()
                        .forwarded().forwarded().forwarded().forwarded().forwarded().forwarded().forwarded(), null)));
        assertThrows(IllegalArgumentException.class,
                () -> codec.encode(new Frame.Publish(SampleFrames.envelope(null, null), null)));
        assertThrows(IllegalArgumentException.class,
                () -> codec.encode(new Frame.Hello(1, null, "s", new byte[0], new byte[0], null, -1, null)));
        assertThrows(IllegalArgumentException.class,
                () -> codec.encode(new Frame.Hello(-1, "n", "s", new byte[0], new byte[0], null, -1, null)));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(new Frame.Refuse(null, "d")));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(new Frame.Auth(null, null)));
    }

    // ---- provider

    @Test
    void providerIsFoundByServiceLoader() {
        CodecProvider json = ServiceLoader.load(CodecProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("json"))
                .findFirst().orElseThrow();
        assertInstanceOf(JsonCodecProvider.class, json);
        assertEquals(0, json.priority());
        FrameLimits limits = limits(3, 4, 5, 6);
        assertEquals(limits, ((JsonCodec) json.create(limits)).limits());
    }
}

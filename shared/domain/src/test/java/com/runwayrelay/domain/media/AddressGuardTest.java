package com.runwayrelay.domain.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {
    private final FakeHostResolver dns = new FakeHostResolver()
            .answer("hooks.example.com", "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c")
            .answer("rebind.example.com", "93.184.215.14", "10.0.0.7")
            .answer("meta.example.com", "169.254.169.254")
            .answer("v6meta.example.com", "fd00:ec2::254")
            .answer("localhost", "127.0.0.1", "::1")
            .answer("app.localhost", "127.0.0.1")
            .answer("mixed-local.example.com", "127.0.0.1", "93.184.215.14")
            .answer("lan.example.com", "192.168.1.20")
            .answerNothing("empty.example.com");
    private final AddressGuard strict = AddressGuard.strict(dns);
    private final AddressGuard local = new AddressGuard(dns, true);

    @Test
    void returnsTheFirstAddress_whenEveryResolvedAddressIsPublic() throws Exception {
        InetAddress address = strict.checkedAddress(URI.create("https://Hooks.Example.COM./deliver"));
        assertEquals(FakeHostResolver.literal("93.184.215.14"), address);
        assertEquals(List.of("hooks.example.com"), dns.lookups(), "resolved once, in normalized form");
    }

    @Test
    void acceptsAnyPort_becauseWebhookReceiversUseThem() throws Exception {
        assertEquals(FakeHostResolver.literal("93.184.215.14"),
                strict.checkedAddress(URI.create("https://hooks.example.com:8443/x")));
    }

    @Test
    void rejectsTarget_whenAnyResolvedAddressIsNotPublic() {
        BlockedTargetException e = assertThrows(BlockedTargetException.class,
                () -> strict.checkedAddress(URI.create("https://rebind.example.com/x")));
        assertEquals(MediaViolation.PRIVATE_ADDRESS, e.code());
        assertTrue(e.getMessage().contains("private"), e.getMessage());
        assertFalse(e.getMessage().contains("10.0.0.7"), "resolved addresses stay out of messages");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://meta.example.com/latest/meta-data/", "https://v6meta.example.com/",
        "https://lan.example.com/", "https://127.0.0.1/", "https://169.254.169.254/", "https://[::1]/",
        "https://[::ffff:127.0.0.1]/", "https://[::ffff:a9fe:a9fe]/", "https://[fd00:ec2::254]/",
        "https://[64:ff9b::a00:1]/", "https://[2002:c0a8:101::1]/", "https://0.0.0.0/", "https://[::]/",
        "https://100.100.100.200/"})
    void rejectsNonPublicTargets(String target) {
        BlockedTargetException e = assertThrows(BlockedTargetException.class, () -> strict.checkedAddress(URI.create(target)));
        assertEquals(MediaViolation.PRIVATE_ADDRESS, e.code(), e.getMessage());
    }

    @Test
    void checksCanonicalLiterals_withoutAskingDns() throws Exception {
        assertEquals(FakeHostResolver.literal("8.8.8.8"), strict.checkedAddress(URI.create("https://8.8.8.8/x")));
        assertEquals(FakeHostResolver.literal("2606:4700:4700::1111"),
                strict.checkedAddress(URI.create("https://[2606:4700:4700::1111]/x")));
        assertEquals(List.of(), dns.lookups());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://2130706433/", "https://0177.0.0.1/", "https://0x7f.1/", "https://127.1/",
        "https://0x7f000001/", "https://08.8.8.8/", "https://1.2.3.4.5/"})
    void rejectsNonCanonicalIpv4Spellings(String target) {
        BlockedTargetException e = assertThrows(BlockedTargetException.class, () -> strict.checkedAddress(URI.create(target)));
        assertEquals(MediaViolation.IP_LITERAL, e.code(), e.getMessage());
        assertEquals(List.of(), dns.lookups());
    }

    @Test
    void rejectsIpv6ZoneIds() {
        BlockedTargetException e = assertThrows(BlockedTargetException.class,
                () -> strict.checkedAddress(URI.create("https://[fe80::1%25eth0]/")));
        assertEquals(MediaViolation.IP_LITERAL, e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://localhost/", "https://app.localhost/", "https://metadata.google.internal/",
        "https://instance-data/", "https://ip-10-0-0-1.ec2.internal/", "https://printer.local/"})
    void rejectsInternalNames_beforeResolvingThem(String target) {
        BlockedTargetException e = assertThrows(BlockedTargetException.class, () -> strict.checkedAddress(URI.create(target)));
        assertEquals(MediaViolation.HOST_NOT_ALLOWED, e.code(), e.getMessage());
        assertEquals(List.of(), dns.lookups());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.example.com/", "ftp://hooks.example.com/", "file:///etc/passwd",
        "gopher://hooks.example.com/", "jar:https://hooks.example.com/a.jar!/x", "/relative/path"})
    void rejectsEverySchemeButHttps_whenStrict(String target) {
        BlockedTargetException e = assertThrows(BlockedTargetException.class, () -> strict.checkedAddress(URI.create(target)));
        assertEquals(MediaViolation.SCHEME_NOT_ALLOWED, e.code(), e.getMessage());
    }

    @Test
    void acceptsUpperCaseHttpsScheme() throws Exception {
        assertEquals(FakeHostResolver.literal("93.184.215.14"), strict.checkedAddress(URI.create("HTTPS://hooks.example.com/")));
    }

    @Test
    void rejectsUserInfo_evenWhenTheJdkCannotParseTheHost() {
        BlockedTargetException e = assertThrows(BlockedTargetException.class,
                () -> strict.checkedAddress(URI.create("https://user@127.1/")));
        assertEquals(MediaViolation.USERINFO_NOT_ALLOWED, e.code());
    }

    @Test
    void rejectsUserInfo() {
        BlockedTargetException e = assertThrows(BlockedTargetException.class,
                () -> strict.checkedAddress(URI.create("https://hooks.example.com@meta.example.com/")));
        assertEquals(MediaViolation.USERINFO_NOT_ALLOWED, e.code());
        assertEquals(List.of(), dns.lookups());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://b\u00fccher.example.com/", "https://under_score.example.com/", "https:///x"})
    void rejectsHostsTheJdkCannotParse(String target) {
        BlockedTargetException e = assertThrows(BlockedTargetException.class, () -> strict.checkedAddress(URI.create(target)));
        assertEquals(MediaViolation.MALFORMED_URI, e.code(), e.getMessage());
    }

    @Test
    void keepsPathAndQueryOutOfMessages() {
        BlockedTargetException e = assertThrows(BlockedTargetException.class,
                () -> strict.checkedAddress(URI.create("https://0x7f.1/hooks/T0/B0/s3cret?token=s3cret")));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        e = assertThrows(BlockedTargetException.class,
                () -> strict.checkedAddress(URI.create("https://under_score.example.com/hooks/s3cret")));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void throwsUnknownHost_whenTheNameDoesNotResolve() {
        assertThrows(UnknownHostException.class, () -> strict.checkedAddress(URI.create("https://nowhere.example.com/")));
        assertThrows(UnknownHostException.class, () -> strict.checkedAddress(URI.create("https://empty.example.com/")));
    }

    @Test
    void acceptsLoopbackOverHttp_whenLocalStackModeIsOn() throws Exception {
        assertEquals(FakeHostResolver.literal("127.0.0.1"), local.checkedAddress(URI.create("http://localhost:4566/bucket/key")));
        assertEquals(FakeHostResolver.literal("127.0.0.1"), local.checkedAddress(URI.create("http://app.localhost:9000/")));
        assertEquals(FakeHostResolver.literal("127.0.0.1"), local.checkedAddress(URI.create("http://127.0.0.1:8080/hook")));
        assertEquals(FakeHostResolver.literal("::1"), local.checkedAddress(URI.create("http://[::1]:8080/hook")));
        assertEquals(FakeHostResolver.literal("127.0.0.1"), local.checkedAddress(URI.create("https://localhost:8443/")));
    }

    @Test
    void stillAllowsHttpsToPublicHosts_whenLocalStackModeIsOn() throws Exception {
        assertEquals(FakeHostResolver.literal("93.184.215.14"), local.checkedAddress(URI.create("https://hooks.example.com/")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.example.com/", "http://mixed-local.example.com/"})
    void rejectsHttpToNonLoopback_whenLocalStackModeIsOn(String target) {
        BlockedTargetException e = assertThrows(BlockedTargetException.class, () -> local.checkedAddress(URI.create(target)));
        assertEquals(MediaViolation.SCHEME_NOT_ALLOWED, e.code(), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://lan.example.com/", "https://meta.example.com/", "http://169.254.169.254/",
        "http://[fd00:ec2::254]/"})
    void rejectsPrivateTargets_whenLocalStackModeIsOn(String target) {
        BlockedTargetException e = assertThrows(BlockedTargetException.class, () -> local.checkedAddress(URI.create(target)));
        assertEquals(MediaViolation.PRIVATE_ADDRESS, e.code(), e.getMessage());
    }

    @Test
    void rejectsInternalNamesOtherThanLocalhost_whenLocalStackModeIsOn() {
        BlockedTargetException e = assertThrows(BlockedTargetException.class,
                () -> local.checkedAddress(URI.create("http://metadata.google.internal/")));
        assertEquals(MediaViolation.HOST_NOT_ALLOWED, e.code());
    }

    @Test
    void rejectsNonLoopbackLocalhost_whenLocalStackModeIsOn() {
        FakeHostResolver poisoned = new FakeHostResolver().answer("localhost", "10.0.0.1");
        BlockedTargetException e = assertThrows(BlockedTargetException.class,
                () -> new AddressGuard(poisoned, true).checkedAddress(URI.create("http://localhost:8080/")));
        assertEquals(MediaViolation.PRIVATE_ADDRESS, e.code());
    }

    @Test
    void refusesALongInternationalizedHost_asMalformed_insteadOfThrowingFromIdn() {
        for (String host : List.of("m\u00e9dia.example.c" + "a".repeat(1900), "\u00e9" + "a".repeat(230) + ".example.com")) {
            BlockedTargetException e = assertThrows(BlockedTargetException.class,
                    () -> strict.checkedAddress(URI.create("https://" + host + "/hook")));
            assertEquals(MediaViolation.MALFORMED_URI, e.code());
        }
    }
}

package dev.plugai.core.identity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(2);

    @Test
    void hashesAreArgon2idPhcStringsAtOwaspParameters() {
        String hash = hasher.hash("correct horse battery".toCharArray());

        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void verifyAcceptsTheRightPasswordOnly() {
        String hash = hasher.hash("correct horse battery".toCharArray());

        assertThat(hasher.verify("correct horse battery".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("correct horse batterY".toCharArray(), hash)).isFalse();
        assertThat(hasher.verify("".toCharArray(), hash)).isFalse();
    }

    @Test
    void theSamePasswordGetsADifferentSaltEachTime() {
        assertThat(hasher.hash("correct horse battery".toCharArray()))
                .isNotEqualTo(hasher.hash("correct horse battery".toCharArray()));
    }

    @Test
    void malformedHashesNeverVerify() {
        for (String bad : new String[] {null, "", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
                "$2a$10$abcdefghijklmnopqrstuv"}) {
            assertThat(hasher.verify("whatever password".toCharArray(), bad)).isFalse();
        }
    }

    @Test
    void theDecoyNeverMatches() {
        assertThat(hasher.verifyDecoy("correct horse battery".toCharArray())).isFalse();
    }

    @Test
    void nonAsciiPasswordsRoundTrip() {
        char[] password = "pässwörd-🔑-секрет".toCharArray();
        assertThat(hasher.verify(password, hasher.hash(password))).isTrue();
    }
}

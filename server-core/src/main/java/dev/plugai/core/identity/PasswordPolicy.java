package dev.plugai.core.identity;

import dev.plugai.core.errors.PlugAiException;

/** What a password must be: 12 to 128 characters, not the username, not one repeated character. */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;

    private PasswordPolicy() {
    }

    /** Throws a clear {@link PlugAiException.InvalidRequest} when {@code password} is not acceptable. */
    public static void check(char[] password, String username) {
        int length = Character.codePointCount(password, 0, password.length);
        if (length < MIN_LENGTH) {
            throw new PlugAiException.InvalidRequest("The password must have at least " + MIN_LENGTH + " characters.");
        }
        if (length > MAX_LENGTH) {
            throw new PlugAiException.InvalidRequest("The password must have at most " + MAX_LENGTH + " characters.");
        }
        if (username != null && new String(password).equalsIgnoreCase(username)) {
            throw new PlugAiException.InvalidRequest("The password must not be the username.");
        }
        boolean allSame = true;
        for (char c : password) {
            allSame &= c == password[0];
        }
        if (allSame) {
            throw new PlugAiException.InvalidRequest("The password must not be one character repeated.");
        }
    }
}

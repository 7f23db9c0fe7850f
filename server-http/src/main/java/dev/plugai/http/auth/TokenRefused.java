package dev.plugai.http.auth;

/**
 * Why an external JWT was refused, for the debug log only: the caller always gets the same 401. Carries
 * no stack trace, since refusals are routine and cheap to make.
 */
final class TokenRefused extends Exception {

    TokenRefused(String reason) {
        super(reason, null, false, false);
    }
}

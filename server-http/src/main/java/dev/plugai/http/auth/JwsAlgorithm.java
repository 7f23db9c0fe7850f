package dev.plugai.http.auth;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * The JWS algorithms accepted from an external issuer: asymmetric only. {@code none} and the HMAC family
 * are absent on purpose; an HMAC "verified" with the issuer's public key is the classic key-confusion attack.
 */
enum JwsAlgorithm {
    RS256("SHA256withRSA", null, 0),
    RS384("SHA384withRSA", null, 0),
    RS512("SHA512withRSA", null, 0),
    PS256("RSASSA-PSS", pss("SHA-256", MGF1ParameterSpec.SHA256, 32), 0),
    PS384("RSASSA-PSS", pss("SHA-384", MGF1ParameterSpec.SHA384, 48), 0),
    PS512("RSASSA-PSS", pss("SHA-512", MGF1ParameterSpec.SHA512, 64), 0),
    // JWS carries ECDSA signatures as R || S (IEEE P1363), not DER; the JDK reads that form directly.
    ES256("SHA256withECDSAinP1363Format", null, 256),
    ES384("SHA384withECDSAinP1363Format", null, 384),
    ES512("SHA512withECDSAinP1363Format", null, 521);

    /** RSA keys shorter than this are refused even when the issuer publishes them. */
    static final int MIN_RSA_BITS = 2048;

    private final String jcaName;
    private final PSSParameterSpec pssParameters;
    private final int curveBits;

    JwsAlgorithm(String jcaName, PSSParameterSpec pssParameters, int curveBits) {
        this.jcaName = jcaName;
        this.pssParameters = pssParameters;
        this.curveBits = curveBits;
    }

    static Optional<JwsAlgorithm> byName(String name) {
        return Arrays.stream(values()).filter(algorithm -> algorithm.name().equals(name)).findFirst();
    }

    /** Whether the key is of the kind this algorithm needs (RSA of a decent size, or EC on the right curve). */
    boolean fits(PublicKey key) {
        if (curveBits == 0) {
            return key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= MIN_RSA_BITS;
        }
        return key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == curveBits;
    }

    boolean verify(PublicKey key, byte[] signingInput, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(jcaName);
            if (pssParameters != null) {
                verifier.setParameter(pssParameters);
            }
            verifier.initVerify(key);
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // A signature of the wrong length or encoding is simply not a valid signature.
            return false;
        }
    }

    private static PSSParameterSpec pss(String digest, MGF1ParameterSpec mgf, int saltLength) {
        return new PSSParameterSpec(digest, "MGF1", mgf, saltLength, PSSParameterSpec.TRAILER_FIELD_BC);
    }
}

import com.nimbusds.jose.*;
import com.nimbusds.jose.crypto.*;
import com.nimbusds.jose.jwk.*;
import com.nimbusds.jose.jwk.gen.*;
import com.nimbusds.jwt.*;
/**
 * What single sign-on needs of Nimbus, run against the packaged jar without Bouncy Castle
 * (bench/jar-check.sh): a provider's JWK set with EC and RSA keys and an x5c chain parsed, ES256
 * and RS256 signatures verified, the ID token validator built over the set.
 *   java -cp JAR bench/JwkCheck.java PKCS12_WITH_AN_EC_KEY_AND_CERTIFICATE (password "changeit", alias "k")
 */
public class JwkCheck {
    public static void main(String[] a) throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("e").generate();
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("r").generate();

        JWKSet set = JWKSet.parse(new JWKSet(java.util.List.of(ec.toPublicJWK(), rsa.toPublicJWK())).toString());
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("e").build(), new JWTClaimsSet.Builder().subject("x").build());
        jwt.sign(new ECDSASigner(ec));
        SignedJWT back = SignedJWT.parse(jwt.serialize());
        check("ES256", back.verify(new ECDSAVerifier(((ECKey) set.getKeyByKeyId("e")).toECPublicKey())));
        SignedJWT r = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("r").build(), new JWTClaimsSet.Builder().subject("x").build());
        r.sign(new RSASSASigner(rsa));
        check("RS256", SignedJWT.parse(r.serialize()).verify(new RSASSAVerifier(((RSAKey) set.getKeyByKeyId("r")).toRSAPublicKey())));
        // what the SSO code uses: the validator of ID tokens from a JWK set
        var v = new com.nimbusds.openid.connect.sdk.validators.IDTokenValidator(new com.nimbusds.oauth2.sdk.id.Issuer("https://i.example"),
            new com.nimbusds.oauth2.sdk.id.ClientID("c"), JWSAlgorithm.ES256, set);
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(new java.io.FileInputStream(a[0]), "changeit".toCharArray());
        java.security.cert.X509Certificate cert = (java.security.cert.X509Certificate) ks.getCertificate("k");
        ECKey fromCert = new ECKey.Builder(Curve.P_256, (java.security.interfaces.ECPublicKey) cert.getPublicKey()).build();
        JWK withX5c = new ECKey.Builder(fromCert).x509CertChain(java.util.List.of(com.nimbusds.jose.util.Base64.encode(cert.getEncoded()))).build();
        JWK parsed = JWK.parse(withX5c.toJSONString());
        check("x5c", parsed.getParsedX509CertChain().size() == 1 && parsed.getKeyType() == KeyType.EC);
        System.out.println("jwk: EC, RSA and x5c keys parsed, ES256 and RS256 verified, " + v.getClass().getSimpleName() + " built");
    }

    static void check(String what, boolean ok) {
        if (!ok) throw new AssertionError(what + " failed");
    }
}

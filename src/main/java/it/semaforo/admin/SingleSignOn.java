package it.semaforo.admin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * OpenID Connect, authorization-code flow with PKCE, state and nonce, done by the Nimbus SDK
 * (com.nimbusds:oauth2-oidc-sdk): the provider's endpoints and keys from its discovery
 * document, the ID token's signature, issuer, audience, expiry and nonce checked by its
 * IDTokenValidator. The provider is asked for its document at the first sign-in, not at
 * start: a provider down must not keep the status page from starting.
 */
final class SingleSignOn {
    /** Connect and read timeouts towards the provider: long enough for a busy one, short enough for a clerk waiting. */
    private static final int TIMEOUT_MS = 10_000;

    private final AdminSettings.Sso settings;
    private final URI callback;
    private volatile Provider provider;

    /** What discovery found, and the validator built from it. */
    private record Provider(OIDCProviderMetadata metadata, IDTokenValidator validator) {
    }

    /** The one-time values of a sign-in in progress, kept by the server until the provider sends the clerk back. */
    record Pending(State state, Nonce nonce, CodeVerifier verifier, String after) {
    }

    /** A sign-in the provider vouched for: who, and the claims roles are read from. */
    record Identity(String issuer, String subject, String email, boolean emailVerified, String name,
                    String preferredUsername, List<String> roleValues) {
    }

    /** Why a sign-in failed, as a message key for the clerk; the detail goes to the log only. */
    static final class Failure extends Exception {
        final String key;

        Failure(String key, String detail, Throwable cause) {
            super(detail, cause);
            this.key = key;
        }
    }

    SingleSignOn(AdminSettings.Sso settings, String baseUrl) {
        this.settings = settings;
        this.callback = URI.create(baseUrl + "/admin/login/oidc/ritorno");
    }

    URI callback() {
        return callback;
    }

    private Provider provider() throws Failure {
        Provider p = provider;
        if (p != null) return p;
        synchronized (this) {
            if (provider != null) return provider;
            try {
                OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(settings.issuer()), TIMEOUT_MS, TIMEOUT_MS);
                JWSAlgorithm alg = metadata.getIDTokenJWSAlgs() == null || metadata.getIDTokenJWSAlgs().contains(JWSAlgorithm.RS256)
                        ? JWSAlgorithm.RS256 : metadata.getIDTokenJWSAlgs().get(0);
                IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), new ClientID(settings.clientId()), alg,
                        metadata.getJWKSetURI().toURL());
                provider = new Provider(metadata, validator);
                return provider;
            } catch (com.nimbusds.oauth2.sdk.GeneralException | IOException | RuntimeException e) {
                throw new Failure("admin.sso.error.provider", "discovery of " + settings.issuer() + " failed: " + e, e);
            }
        }
    }

    /** A new sign-in: the one-time values, and where to send the browser. */
    URI start(Pending pending) throws Failure {
        Provider p = provider();
        return new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new Scope(settings.scopes().toArray(String[]::new)),
                new ClientID(settings.clientId()), callback)
                .endpointURI(p.metadata().getAuthorizationEndpointURI())
                .state(pending.state())
                .nonce(pending.nonce())
                .codeChallenge(pending.verifier(), CodeChallengeMethod.S256)
                .build().toURI();
    }

    /**
     * The code the provider sent back exchanged for tokens (with the PKCE verifier and the
     * client's secret), and the ID token validated against this sign-in's nonce.
     */
    Identity finish(Pending pending, String code) throws Failure {
        Provider p = provider();
        TokenResponse response;
        try {
            TokenRequest request = new TokenRequest(p.metadata().getTokenEndpointURI(),
                    new ClientSecretBasic(new ClientID(settings.clientId()), new Secret(settings.clientSecret())),
                    new AuthorizationCodeGrant(new AuthorizationCode(code), callback, pending.verifier()));
            HTTPRequest http = request.toHTTPRequest();
            http.setConnectTimeout(TIMEOUT_MS);
            http.setReadTimeout(TIMEOUT_MS);
            response = OIDCTokenResponseParser.parse(http.send());
        } catch (IOException | ParseException | RuntimeException e) {
            throw new Failure("admin.sso.error.provider", "token request failed: " + e, e);
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            throw new Failure("admin.sso.error.refused", "token request refused: " + (error == null ? "?" : error.getCode()
                    + " " + error.getDescription()), null);
        }
        JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
        IDTokenClaimsSet claims;
        try {
            claims = p.validator().validate(idToken, pending.nonce());
        } catch (BadJOSEException | JOSEException | RuntimeException e) {
            throw new Failure("admin.sso.error.token", "ID token refused: " + e.getMessage(), e);
        }
        return new Identity(claims.getIssuer().getValue(), claims.getSubject().getValue(),
                text(claims.getStringClaim("email")).toLowerCase(java.util.Locale.ROOT),
                Boolean.TRUE.equals(claims.getBooleanClaim("email_verified")), text(claims.getStringClaim("name")),
                text(claims.getStringClaim("preferred_username")), roleValues(claims));
    }

    /** The values of the role claim: a list (groups, roles) or a single string. */
    private List<String> roleValues(IDTokenClaimsSet claims) {
        if (settings.roleClaim().isEmpty()) return List.of();
        Object value = claims.getClaim(settings.roleClaim());
        if (value instanceof List<?> list) return list.stream().map(String::valueOf).toList();
        if (value instanceof String s) return List.of(s);
        return List.of();
    }

    private static String text(String s) {
        return s == null ? "" : s.strip();
    }
}

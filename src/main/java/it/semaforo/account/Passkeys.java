package it.semaforo.account;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Passkeys (WebAuthn) as a second factor: registered by a signed-in clerk, then asked for
 * after the password. webauthn4j checks each answer: the client data's type, challenge and
 * origin, the RP id's hash, user presence, the signature with the key stored at registration,
 * and a signature counter that must move forward. Only public data is stored. The challenge
 * is the caller's (one per page and session, used once).
 */
public final class Passkeys {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final Database db;
    private final Clock clock;
    private final RelyingParty rp;
    /** Made at the first passkey checked: until a clerk uses one, webauthn4j is not loaded (several hundred classes). */
    private Verifier verifier;

    /** webauthn4j's parts: its manager, the converter of stored credentials, and the algorithms offered. */
    private static final class Verifier {
        /** ES256 (every authenticator), EdDSA, RS256 (Windows Hello), in that order of preference. */
        static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(
                new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
                new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.EdDSA),
                new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256));
        final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager();
        final AttestedCredentialDataConverter converter = new AttestedCredentialDataConverter(new ObjectConverter());
    }

    private synchronized Verifier verifier() {
        if (verifier == null) verifier = new Verifier();
        return verifier;
    }

    /** Who the passkeys are for: the host of the public address, and its origin (scheme, host, port). */
    public record RelyingParty(String id, String origin, String name) {
    }

    public Passkeys(Database db, Clock clock, RelyingParty rp) {
        this.db = db;
        this.clock = clock;
        this.rp = rp;
    }

    public RelyingParty relyingParty() {
        return rp;
    }

    public record Passkey(long id, String name, Instant createdAt, Instant lastUsedAt) {
    }

    /** An opaque handle for the user in the authenticator: no name, no number of ours. */
    public static String userHandle(long userId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("semaforo-user:" + userId).getBytes(StandardCharsets.UTF_8));
            return B64URL.encodeToString(Arrays.copyOf(h, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Passkey> of(long userId) {
        return db.read(c -> {
            List<Passkey> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, created_at, last_used_at FROM passkey WHERE user_id = ? ORDER BY id")) {
                ps.setLong(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new Passkey(rs.getLong(1), rs.getString(2), Jdbc.instant(rs, "created_at"),
                                Jdbc.instant(rs, "last_used_at")));
                    }
                }
            }
            return list;
        });
    }

    /** The ids (base64url) of a user's credentials: excluded at registration, allowed at sign-in. */
    public List<String> credentialIds(long userId) {
        return db.read(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT credential_id FROM passkey WHERE user_id = ? ORDER BY id")) {
                ps.setLong(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    /** What a verified registration leaves: the credential to store. */
    public record Registered(String credentialId, byte[] credential, long signCount) {
    }

    /**
     * Checks a registration (the browser's PublicKeyCredential as JSON) against the challenge
     * given for it; empty when anything does not hold.
     */
    public Optional<Registered> verifyRegistration(String json, byte[] challenge) {
        try {
            Verifier v = verifier();
            RegistrationData data = v.manager.verifyRegistrationResponseJSON(json,
                    new RegistrationParameters(server(challenge), Verifier.ALGORITHMS, false, true));
            AttestedCredentialData credential = data.getAttestationObject().getAuthenticatorData().getAttestedCredentialData();
            if (credential == null) return Optional.empty();
            return Optional.of(new Registered(B64URL.encodeToString(credential.getCredentialId()), v.converter.convert(credential),
                    data.getAttestationObject().getAuthenticatorData().getSignCount()));
        } catch (RuntimeException e) {
            // webauthn4j's verification and conversion failures, and Jackson's for broken JSON
            return Optional.empty();
        }
    }

    /** Stores a verified registration; false when that credential is registered already. */
    public boolean store(Connection c, long userId, String name, Registered r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM passkey WHERE credential_id = ?")) {
            ps.setString(1, r.credentialId());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return false;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO passkey(user_id, credential_id, credential, sign_count, name, created_at) VALUES (?, ?, ?, ?, ?, ?)""")) {
            ps.setLong(1, userId);
            ps.setString(2, r.credentialId());
            ps.setBytes(3, r.credential());
            ps.setLong(4, r.signCount());
            ps.setString(5, name);
            ps.setLong(6, clock.millis());
            ps.executeUpdate();
        }
        return true;
    }

    /**
     * Checks a sign-in (the browser's assertion as JSON) with one of the user's passkeys and the
     * challenge given for it; on success the counter and the last use are stored, in the same
     * write as the check. False for another user's or an unknown credential, a bad signature,
     * a wrong origin or challenge, a counter gone backwards.
     */
    public boolean verifyAuthentication(long userId, String json, byte[] challenge) {
        AuthenticationData data;
        try {
            data = verifier().manager.parseAuthenticationResponseJSON(json);
        } catch (RuntimeException e) {
            return false;
        }
        if (data.getCredentialId() == null) return false;
        String credentialId = B64URL.encodeToString(data.getCredentialId());
        return db.write(c -> {
            byte[] stored;
            long count;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT credential, sign_count FROM passkey WHERE user_id = ? AND credential_id = ?")) {
                ps.setLong(1, userId);
                ps.setString(2, credentialId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return false;
                    stored = rs.getBytes(1);
                    count = rs.getLong(2);
                }
            }
            try {
                CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(), null, null, null, count,
                        verifier().converter.convert(stored), null, null, null, null);
                verifier().manager.verify(data, new AuthenticationParameters(server(challenge), record,
                        List.of(data.getCredentialId()), false, true));
            } catch (RuntimeException e) {
                return false;   // webauthn4j's verification failures (signature, origin, challenge, counter...)
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE passkey SET sign_count = ?, last_used_at = ? WHERE user_id = ? AND credential_id = ?")) {
                ps.setLong(1, data.getAuthenticatorData().getSignCount());
                ps.setLong(2, clock.millis());
                ps.setLong(3, userId);
                ps.setString(4, credentialId);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Removes one of a user's passkeys; false when the user has no such passkey. */
    public boolean remove(Connection c, long userId, long passkeyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM passkey WHERE user_id = ? AND id = ?")) {
            ps.setLong(1, userId);
            ps.setLong(2, passkeyId);
            return ps.executeUpdate() > 0;
        }
    }

    private ServerProperty server(byte[] challenge) {
        return ServerProperty.builder().origin(new Origin(rp.origin())).rpId(rp.id()).challenge(new DefaultChallenge(challenge)).build();
    }
}

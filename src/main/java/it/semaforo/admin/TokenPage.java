package it.semaforo.admin;

import java.time.Instant;
import java.util.List;

/**
 * The page of a user's API tokens; secret is the token just created, shown this once (else
 * null); min and max bound the date input of the expiry.
 */
public record TokenPage(AdminPages.Frame frame, List<ApiTokens.Token> tokens, Form form, String secret, String secretName,
                        String apiBase, List<ApiTokens.Scope> scopes, Instant now, String min, String max) {
}

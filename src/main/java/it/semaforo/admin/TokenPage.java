package it.semaforo.admin;

import java.util.List;

/** The page of a user's API tokens; secret is the token just created, shown this once (else null). */
public record TokenPage(AdminPages.Frame frame, List<ApiTokens.Token> tokens, Form form, String secret, String secretName,
                        String apiBase) {
}

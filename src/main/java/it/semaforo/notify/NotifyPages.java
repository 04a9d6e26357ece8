package it.semaforo.notify;

import it.semaforo.render.PageContext;

import java.util.List;

/** What the subscription pages show (templates under src/main/jte/notify). */
public final class NotifyPages {
    private NotifyPages() {
    }

    public record ServiceOption(long id, String name, boolean checked) {
    }

    public record GroupOption(long id, String name, boolean checked, List<ServiceOption> services) {
    }

    public record KindOption(String key, String label, boolean checked) {
    }

    public record LanguageOption(String tag, String name, boolean selected) {
    }

    /** The choices part of both forms. */
    public record ChoicesForm(boolean everything, List<GroupOption> groups, List<KindOption> kinds,
                              List<LanguageOption> languages) {
    }

    /** The sign-up form; error, when set, is said above it. */
    public record Subscribe(PageContext ctx, String formToken, String email, ChoicesForm choices, List<String> privacy,
                            boolean consent, String error) {
    }

    /** The manage page of a subscriber (reached by the signed link of every mail). */
    public record Manage(PageContext ctx, String token, String email, ChoicesForm choices, boolean saved) {
    }

    /** A page that says one thing, with at most one button (a POST to action carrying token). */
    public record Message(PageContext ctx, String title, String text, String action, String token, String button) {
    }
}

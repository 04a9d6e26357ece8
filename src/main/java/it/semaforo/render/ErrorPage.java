package it.semaforo.render;

/**
 * The public site's page that says what went wrong, in a language: what an output other than
 * the pages (a feed of an unknown service, say) answers with, so that a resident who follows a
 * broken link gets the site's page and not a bare status. Implemented by web.ErrorPages.
 */
public interface ErrorPage {
    /** titleKey: the message key of the title; text: the explanation, already in lang. */
    Rendered error(Lang lang, int status, String titleKey, String text);
}

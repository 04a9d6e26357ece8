package it.semaforo.render;

import java.time.ZoneId;
import java.util.Locale;

/**
 * What every page shows of the site as a whole, built once at start-up from the configuration
 * (app.Semaforo): the outputs receive it instead of reading the configuration themselves.
 * subscriptions: residents are offered notices by email (notify), which needs mail configured.
 * fragments: the parts of every page that follow from the site and the language alone, kept
 * rendered (made empty with the site, and never shared with another).
 */
public record Site(Comune comune, Links links, Assets assets, String baseUrl, Locale defaultLanguage, ZoneId zone,
                   boolean subscriptions, Fragments fragments) {

    /** The administration that publishes the page, as shown in the header and footer. */
    public record Comune(String name, String address, String taxCode, String pec, String phone, String website) {
    }

    /**
     * The pages of the comune's own website that the Designers Italia municipal model wants
     * linked from every page: the main menu (management, news, all-services, live) and the
     * footer (faq, report-inefficiency, accessibility statement, privacy policy, legal notes).
     */
    public record Links(String management, String news, String allServices, String live, String faq,
                        String reportInefficiency, String accessibility, String privacy, String legalNotes) {
    }
}

package it.semaforo.web;

import it.semaforo.app.Config;

import java.time.ZoneId;
import java.util.Locale;

/** What every page shows of the site as a whole, built once at start-up from the configuration. */
public record Site(Config.Comune comune, Config.Links links, Assets assets, String baseUrl, Locale defaultLanguage,
                   ZoneId zone, boolean subscriptions) {
    public static Site of(Config config, Assets assets) {
        return new Site(config.comune(), config.links(), assets, config.baseUrl(),
                Lang.supportedOrFail(config.language()), config.zone(),
                !config.get("smtp.host").isBlank());   // subscriptions by email (notify) are offered only with mail configured
    }
}

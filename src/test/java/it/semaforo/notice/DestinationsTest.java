package it.semaforo.notice;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What an avviso's text points residents to, and which of it is not the comune's. */
class DestinationsTest {
    static final Set<String> DOMAINS = Set.of("comune.roccaverde.example");
    static final Set<String> PHONES = Set.of("+39 0123 456789");

    @Test
    void addressesInLinksBareDomainsAndMailAreFoundButNotAbbreviationsOrTimes() {
        assertEquals(List.of("rimborsi.example.net", "comune.roccaverde.example", "gmail.com", "aiuto-comune.it"),
                Destinations.hosts("Andate su https://rimborsi.example.net/x?y=1, poi www.comune.roccaverde.example. "
                        + "Oppure aiuto-comune.it; scrivete a falso.urp@gmail.com. La Sig.ra Rossi e la dott.ssa Bianchi, ore 9.30, art. 34."));
    }

    @Test
    void phoneNumbersAreFoundButNotDatesYearsOrTimes() {
        assertEquals(List.of("06 1234 5678", "+39 333 1234567", "800.123.456"),
                Destinations.phones("Chiamate 06 1234 5678 o +39 333 1234567 o il numero verde 800.123.456 "
                        + "entro il 30.11.2026 alle 12.30; protocollo 2026/123456, anno 2026."));
    }

    @Test
    void onlyWhatIsNotTheComunesIsForeign() {
        Destinations.Foreign f = Destinations.foreign("Su https://servizi.comune.roccaverde.example, a urp@comune.roccaverde.example, "
                + "allo 0123 456789 o al 0039 0123 456789; non su comune-roccaverde.example.net né al 0123 456788.", DOMAINS, PHONES);
        assertEquals(List.of("comune-roccaverde.example.net"), f.hosts());
        assertEquals(List.of("0123 456788"), f.phones());
        assertEquals(new Destinations.Foreign(List.of(), List.of()),
                Destinations.foreign("Nessun recapito, solo testo.", DOMAINS, PHONES));
    }

    @Test
    void aHostIsComparedInLowerCaseWithoutWwwOrATrailingDot() {
        assertEquals("comune.roccaverde.example", Destinations.host("HTTPS://WWW.Comune.Roccaverde.Example./x"));
        org.junit.jupiter.api.Assertions.assertTrue(Destinations.host("www.comüne.it").startsWith("xn--"), "a look-alike letter shows as punycode");
    }
}

package it.semaforo.demo;

import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeDetails;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.notice.NoticeRepository.NewAttachment;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeRepository.NewUpdate;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.Channel;
import it.semaforo.service.ChannelKind;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.service.ServiceCatalog.NewService;
import it.semaforo.service.ServiceState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An invented comune, Roccaverde, living through the situations of the real notices in docs/design.md: the cloud
 * provider's ransomware outage with finer states per office, a phishing advisory, a data-breach
 * communication, a planned maintenance, and past outages that fill the 90-day history. Every
 * date is relative to the moment of seeding, so a fresh start always has avvisi in force.
 */
public final class DemoComune {
    private static final String AUTHOR = "Ufficio comunicazione";

    private final ServiceCatalog services;
    private final NoticeRepository notices;
    private final Clock clock;
    private final ZoneId zone;
    private final Path attachmentsDir;

    public DemoComune(ServiceCatalog services, NoticeRepository notices, Clock clock, ZoneId zone, Path attachmentsDir) {
        this.services = services;
        this.notices = notices;
        this.clock = clock;
        this.zone = zone;
        this.attachmentsDir = attachmentsDir;
    }

    public void seed() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);

        long online = services.createGroup("Servizi online", 1);
        long registry = services.createGroup("Anagrafe e stato civile", 2);
        long school = services.createGroup("Scuola", 3);
        long taxes = services.createGroup("Tributi e pagamenti", 4);

        long cloud = services.createProvider("nubilia-cloud", "Nubilia Cloud S.p.A.",
                "Fornitore dell'infrastruttura cloud che ospita i gestionali del Comune.");
        long vendor = services.createProvider("pa-gestionali", "PA Gestionali S.p.A.",
                "Fornitore del software per anagrafe, stato civile, protocollo, albo e tributi.");
        services.addProviderDependency(vendor, cloud);
        long anpr = services.createProvider("anpr", "ANPR", "Anagrafe nazionale della popolazione residente.");
        long pagopa = services.createProvider("pagopa", "pagoPA", "Piattaforma nazionale dei pagamenti verso la PA.");
        long spid = services.createProvider("spid-cie", "SPID e CIE", "Sistemi nazionali di identità digitale.");
        long schoolSoft = services.createProvider("scuolanet", "Scuolanet S.r.l.", "Software dei servizi scolastici.");

        String portal = "https://servizi.comune.roccaverde.example";
        Channel office = new Channel(ChannelKind.OFFICE, "Sportello del cittadino",
                "Piazza del Municipio 1, piano terra", "lun–ven 8:30–12:30, mar e gio anche 14:30–17:00");
        Channel phone = new Channel(ChannelKind.PHONE, "Centralino", "+39 0123 456789", "lun–ven 8:30–13:00");

        long sportello = services.createService(new NewService("sportello-telematico", "Sportello telematico",
                "Domande, istanze e segnalazioni online al Comune.", online, 1,
                List.of(new Channel(ChannelKind.ONLINE, "Portale dei servizi", portal + "/istanze", ""), office,
                        new Channel(ChannelKind.EMAIL, "Ufficio relazioni con il pubblico", "urp@comune.roccaverde.example", "")),
                Set.of(vendor, spid)));
        long certificates = services.createService(new NewService("certificati-online", "Certificati anagrafici online",
                "Certificati di residenza, stato di famiglia e nascita scaricabili con SPID o CIE.", online, 2,
                List.of(new Channel(ChannelKind.ONLINE, "Anagrafe nazionale (ANPR)", "https://www.anagrafenazionale.interno.it", ""),
                        office), Set.of(vendor, anpr, spid)));
        long albo = services.createService(new NewService("albo-pretorio", "Albo pretorio online",
                "Atti e delibere pubblicati dal Comune.", online, 3,
                List.of(new Channel(ChannelKind.ONLINE, "Albo pretorio", portal + "/albo", "")), Set.of(vendor)));
        long protocol = services.createService(new NewService("protocollo", "Protocollo e PEC",
                "Ricezione e protocollazione di documenti e posta certificata.", online, 4,
                List.of(new Channel(ChannelKind.EMAIL, "PEC del Comune", "protocollo@pec.comune.roccaverde.example", ""),
                        new Channel(ChannelKind.OFFICE, "Ufficio protocollo", "Piazza del Municipio 1, primo piano", "lun–ven 9:00–12:00")),
                Set.of(vendor)));
        long anagrafe = services.createService(new NewService("anagrafe", "Anagrafe",
                "Residenza, cambi di indirizzo, certificati allo sportello.", registry, 1,
                List.of(new Channel(ChannelKind.OFFICE, "Ufficio anagrafe", "Piazza del Municipio 1, piano terra", "lun–sab 8:30–12:30"),
                        phone, new Channel(ChannelKind.EMAIL, "Ufficio anagrafe", "anagrafe@comune.roccaverde.example", "")),
                Set.of(vendor, anpr)));
        services.createService(new NewService("carta-identita", "Carta d'identità elettronica",
                "Rilascio e rinnovo della carta d'identità, su appuntamento.", registry, 2,
                List.of(new Channel(ChannelKind.ONLINE, "Prenotazione appuntamenti", "https://www.prenotazionicie.interno.gov.it", ""),
                        new Channel(ChannelKind.OFFICE, "Ufficio carte d'identità", "Piazza del Municipio 1, piano terra", "su appuntamento")),
                Set.of(anpr)));
        long civil = services.createService(new NewService("stato-civile", "Stato civile",
                "Atti di nascita, morte, matrimonio e cittadinanza.", registry, 3,
                List.of(new Channel(ChannelKind.OFFICE, "Ufficio di stato civile", "Piazza del Municipio 1, primo piano", "lun–ven 9:00–12:00"),
                        new Channel(ChannelKind.PHONE, "Stato civile", "+39 0123 456790", "")),
                Set.of(vendor)));
        long enrolment = services.createService(new NewService("iscrizioni-scolastiche", "Iscrizioni ai servizi scolastici",
                "Iscrizioni a mensa, trasporto scolastico, nidi e scuole dell'infanzia.", school, 1,
                List.of(new Channel(ChannelKind.ONLINE, "Portale scuola", portal + "/scuola", ""),
                        new Channel(ChannelKind.OFFICE, "Ufficio istruzione", "Via delle Scuole 4", "lun, mer, ven 9:00–12:00")),
                Set.of(schoolSoft)));
        services.createService(new NewService("mensa-trasporto", "Mensa e trasporto scolastico",
                "Menù, presenze e pagamento dei buoni pasto.", school, 2,
                List.of(new Channel(ChannelKind.ONLINE, "Portale scuola", portal + "/scuola", ""),
                        new Channel(ChannelKind.PHONE, "Ufficio istruzione", "+39 0123 456791", "")),
                Set.of(schoolSoft, pagopa)));
        long payments = services.createService(new NewService("pagamenti-pagopa", "Pagamenti online (pagoPA)",
                "Pagamento di tributi, multe, rette e diritti di segreteria.", taxes, 1,
                List.of(new Channel(ChannelKind.ONLINE, "Portale dei pagamenti", portal + "/pagamenti", ""),
                        new Channel(ChannelKind.OFFICE, "Tabaccherie e uffici postali aderenti a pagoPA", "in tutto il territorio", "")),
                Set.of(pagopa)));
        long taxes1 = services.createService(new NewService("tributi", "Tributi: IMU e TARI",
                "Calcolo, avvisi e dichiarazioni di IMU e TARI.", taxes, 2,
                List.of(new Channel(ChannelKind.ONLINE, "Sportello tributi online", portal + "/tributi", ""),
                        new Channel(ChannelKind.OFFICE, "Ufficio tributi", "Via Roma 12", "mar e gio 9:00–12:30")),
                Set.of(vendor)));

        // 1. The provider outage (the Massa and Imperia seeds of docs/design.md), still running, with numbered updates.
        long outage = notices.create(new NewNotice(NoticeKind.OUTAGE, NoticeStatus.PUBLISHED,
                "Servizi online sospesi per l'attacco informatico al fornitore cloud",
                "I servizi online del Comune sono temporaneamente disattivati. L'anagrafe lavora con altre piattaforme; lo stato civile riceve solo per gli atti indifferibili.",
                """
                Si comunica che i **servizi online del Comune** sono stati temporaneamente disattivati per un problema tecnico **indipendente** dalla volontà dell'Amministrazione.

                L'8 del mese il centro servizi cloud di Nubilia Cloud S.p.A., che ospita i programmi di PA Gestionali S.p.A. usati dal Comune e da molti altri enti, ha subito un attacco informatico di tipo *ransomware*. PA Gestionali e i Sistemi informativi comunali hanno avviato le procedure di sicurezza e di protezione dei dati per ripristinare i servizi il prima possibile.

                Il ripristino richiede l'autorizzazione delle autorità competenti (Garante per la protezione dei dati personali, Agenzia per la cybersicurezza nazionale), alle quali il fornitore ha inviato le comunicazioni dovute.

                ## Cosa fare nel frattempo

                | Servizio | Come fare |
                | --- | --- |
                | Anagrafe e carte d'identità | allo sportello, negli orari consueti |
                | Stato civile | solo atti di nascita e di morte |
                | Istanze online | via PEC a protocollo@pec.comune.roccaverde.example |

                L'Amministrazione si scusa per il disagio. In allegato il comunicato di PA Gestionali ai clienti.
                """, "it", now.minus(Duration.ofDays(12)).minus(Duration.ofMinutes(41)), now.plus(Duration.ofDays(6)),
                null, null, AUTHOR,
                List.of(Impact.onProvider(vendor, ServiceState.SUSPENDED,
                        "Servizio disattivato per l'attacco informatico al fornitore cloud"))));
        notices.addUpdate(outage, new NewUpdate("""
                Gli uffici dell'**Anagrafe** e delle **Carte d'identità** garantiscono il servizio attraverso altre piattaforme.
                All'ufficio di **Stato civile** ci si reca soltanto per gli adempimenti indifferibili (atti di nascita e di morte).
                """, List.of(
                Impact.onService(anagrafe, ServiceState.ALTERNATIVE, "Pratiche allo sportello con una piattaforma alternativa"),
                Impact.onService(civil, ServiceState.LIMITED, "Solo atti di nascita e di morte")),
                false, AUTHOR, now.minus(Duration.ofDays(11)).minus(Duration.ofHours(3))));
        notices.addUpdate(outage, new NewUpdate("""
                PA Gestionali comunica che i dati sono integri e che il ripristino attende l'autorizzazione delle autorità.
                Non è ancora possibile indicare una data: la scadenza di questo avviso sarà prorogata se necessario.
                """, List.of(), false, AUTHOR, now.minus(Duration.ofDays(6)).minus(Duration.ofHours(5))));
        notices.addUpdate(outage, new NewUpdate("""
                Sono di nuovo disponibili l'**albo pretorio** e il **protocollo**; il protocollo è rallentato finché non saranno
                registrati i documenti arrivati nei giorni scorsi. Gli altri servizi online restano sospesi.
                """, List.of(
                Impact.onService(albo, ServiceState.OPERATIONAL, ""),
                Impact.onService(protocol, ServiceState.DEGRADED, "Registrazione dei documenti arretrati in corso")),
                false, AUTHOR, now.minus(Duration.ofHours(20))));
        attach(outage, "Comunicato di PA Gestionali ai clienti", "comunicato-pa-gestionali.pdf",
                "Comunicato di PA Gestionali S.p.A. ai clienti: attacco informatico al fornitore cloud.");

        // 2. A phishing advisory (the ANPR seed), pinned to the top of the home page until it expires.
        long phishing = notices.create(new NewNotice(NoticeKind.SECURITY, NoticeStatus.PUBLISHED,
                "Telefonate ed email false a nome del Comune: non comunicate le vostre credenziali",
                "Alcuni cittadini hanno ricevuto richieste di password e codici SPID da falsi operatori del Comune. Il Comune non le chiede mai.",
                """
                Alcuni cittadini ci hanno segnalato telefonate ed email di persone che si presentano come operatori del Comune
                o del fornitore dei servizi informatici e chiedono **password, codici SPID o codici ricevuti via SMS**,
                oppure di installare un programma di assistenza remota (per esempio TeamViewer).

                Chi ha già comunicato le proprie credenziali cambi subito la password e avvisi il proprio gestore SPID.
                """, "it", now.minus(Duration.ofDays(3)).minus(Duration.ofHours(2)), now.plus(Duration.ofDays(27)),
                null, null, AUTHOR, List.of()));
        notices.saveDetails(phishing, NoticeDetails.security(List.of(
                        "non comunicate a nessuno password, codici SPID o codici ricevuti via SMS",
                        "non installate programmi di teleassistenza su richiesta di chi vi chiama",
                        "non aprite i collegamenti ricevuti per email che chiedono di verificare i vostri dati",
                        "segnalate il fatto alla Polizia postale e all'Ufficio relazioni con il pubblico"),
                "Ufficio relazioni con il pubblico: urp@comune.roccaverde.example, telefono +39 0123 456789 (lunedì–venerdì 9–13)",
                "Il Comune e i suoi fornitori non chiedono mai password, codici SPID o l'accesso al vostro computer, né per telefono né per email.",
                true));

        // 3. A data-breach communication (the Mantova seed), with the school portal closed for two days: the
        // art. 34 GDPR sections are structured fields, the body keeps the free text.
        long breach = notices.create(new NewNotice(NoticeKind.DATA_BREACH, NoticeStatus.PUBLISHED,
                "Comunicazione agli interessati: violazione dei dati dei servizi scolastici",
                "Una cartella del software dei servizi scolastici era raggiungibile da Internet. Sono coinvolti dati anagrafici e di contatto degli iscritti; non dati di pagamento né credenziali.",
                """
                Il software dei servizi scolastici è prodotto da Scuolanet S.r.l., responsabile esterno del trattamento,
                e funziona su un server del Comune ospitato nel centro dati di Nubilia Cloud S.p.A.

                Aggiornamenti su questa pagina e nella sezione [Privacy](https://www.comune.roccaverde.example/privacy) del sito del Comune.
                """, "it", now.minus(Duration.ofDays(20)), now.plus(Duration.ofDays(40)), null, null, AUTHOR,
                List.of(Impact.onService(enrolment, ServiceState.SUSPENDED, "Portale chiuso in via precauzionale per le verifiche di sicurezza"))));
        String discovered = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ITALIAN)
                .format(now.minus(Duration.ofDays(21)).atZone(zone));
        notices.saveDetails(breach, NoticeDetails.breach(
                "Una cartella di rete del software dei servizi scolastici era raggiungibile da Internet a causa di un errore di configurazione del server web. Il percorso della cartella è stato segnalato al CSIRT Italia da esperti di sicurezza informatica.",
                "Il " + discovered + ", su segnalazione del CSIRT Italia trasmessa dal fornitore.",
                List.of("dati anagrafici: nome, cognome, sesso, data e luogo di nascita, codice fiscale",
                        "dati di contatto: indirizzo, email, telefono fisso o mobile"),
                List.of("credenziali di accesso (nome utente, password)", "dati di pagamento (conto corrente, carta di credito)",
                        "documenti di identità", "dati di localizzazione", "dati relativi alla salute"),
                "Gli iscritti ai servizi di mensa, trasporto scolastico, nidi e scuole dell'infanzia e i loro genitori o tutori: circa 1.800 persone.",
                "La perdita di riservatezza dei dati, con la loro conoscenza da parte di terzi non autorizzati; un possibile aumento di email o telefonate ingannevoli che usano questi dati per sembrare credibili.",
                List.of("ripristinata la corretta configurazione dei permessi della cartella",
                        "avviata l'analisi dei registri di accesso",
                        "riconfigurato il server web per eliminare le cartelle esposte",
                        "rimossi i dati che non dovevano essere pubblicati"),
                List.of("verifiche periodiche della pubblicazione dei dati in rete",
                        "attuazione delle ulteriori misure raccomandate dal CSIRT Italia"),
                List.of("diffidate di email, SMS e telefonate che citano l'iscrizione ai servizi scolastici e chiedono dati o pagamenti",
                        "per ogni dubbio scrivete al responsabile della protezione dei dati"),
                "Comune di Roccaverde, Piazza del Municipio 1, 12345 Roccaverde (RV) – PEC protocollo@pec.comune.roccaverde.example – tel. +39 0123 456789",
                "Responsabile della protezione dei dati: Studio Esempio Srl – dpo@comune.roccaverde.example – PEC dpo@pec.comune.roccaverde.example",
                "Notificata al Garante per la protezione dei dati personali il " + DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ITALIAN)
                        .format(now.minus(Duration.ofDays(19)).atZone(zone)) + " (art. 33 GDPR)."));
        notices.addUpdate(breach, new NewUpdate("Il portale delle iscrizioni è di nuovo disponibile: la cartella esposta è stata rimossa e i permessi corretti.",
                List.of(Impact.onService(enrolment, ServiceState.OPERATIONAL, "")), false, AUTHOR,
                now.minus(Duration.ofDays(18))));
        notices.addUpdate(breach, new NewUpdate("Le verifiche a campione non hanno rilevato la pubblicazione dei dati in rete. Ulteriori verifiche sono in corso.",
                List.of(), false, AUTHOR, now.minus(Duration.ofDays(10))));

        // 4. A planned maintenance of pagoPA, in three days.
        Instant windowStart = now.atZone(zone).toLocalDate().plusDays(3).atTime(LocalTime.of(8, 0)).atZone(zone).toInstant();
        Instant windowEnd = windowStart.plus(Duration.ofHours(6));
        notices.create(new NewNotice(NoticeKind.MAINTENANCE, NoticeStatus.PUBLISHED,
                "Manutenzione programmata di pagoPA: pagamenti online non disponibili",
                "Per un intervento sulla piattaforma nazionale pagoPA non sarà possibile pagare online per sei ore.",
                """
                Durante l'intervento di manutenzione della piattaforma nazionale **pagoPA** non sarà possibile pagare online
                tributi, rette e diritti di segreteria. Gli avvisi di pagamento restano validi e possono essere pagati
                dopo l'intervento, senza more, oppure in tabaccheria e negli uffici postali aderenti.
                """, "it", now.minus(Duration.ofDays(1)), windowEnd, windowStart, windowEnd, AUTHOR,
                List.of(Impact.onService(payments, ServiceState.MAINTENANCE, "Manutenzione programmata della piattaforma pagoPA"))));

        // 5. Resolved past outages, so that the history is not empty.
        Instant spidDown = now.minus(Duration.ofDays(40)).minus(Duration.ofHours(6));
        long spidOutage = notices.create(new NewNotice(NoticeKind.OUTAGE, NoticeStatus.PUBLISHED,
                "Accesso con SPID e CIE non disponibile",
                "Non è possibile accedere ai servizi online con SPID e CIE per un problema dei sistemi nazionali.",
                "I sistemi nazionali di identità digitale non rispondono: l'accesso ai servizi online non è possibile. Lo sportello è aperto.",
                "it", spidDown, null, null, null, AUTHOR,
                List.of(Impact.onProvider(spid, ServiceState.SUSPENDED, "Accesso con SPID e CIE non disponibile"))));
        notices.addUpdate(spidOutage, new NewUpdate("L'accesso con SPID e CIE è stato ripristinato. L'avviso è chiuso.",
                List.of(), true, AUTHOR, spidDown.plus(Duration.ofHours(5))));
        Instant slow = now.minus(Duration.ofDays(65));
        long taxesSlow = notices.create(new NewNotice(NoticeKind.OUTAGE, NoticeStatus.PUBLISHED,
                "Sportello tributi online rallentato in vista della scadenza IMU",
                "Il calcolo dell'IMU online risponde lentamente per l'alto numero di accessi.",
                "Nei giorni che precedono la scadenza il calcolo online dell'IMU è molto richiesto e risponde lentamente. Riprovate in orari serali o rivolgetevi all'ufficio tributi.",
                "it", slow, slow.plus(Duration.ofDays(5)), null, null, AUTHOR,
                List.of(Impact.onService(taxes1, ServiceState.DEGRADED, "Tempi di risposta lunghi per l'alto numero di accessi"))));
        notices.addUpdate(taxesSlow, new NewUpdate("Il servizio funziona di nuovo normalmente.", List.of(), true, AUTHOR,
                slow.plus(Duration.ofDays(2))));

        // 6. A general notice that has expired: visible in the archive only.
        notices.create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED,
                "Uffici chiusi per la festa del santo patrono",
                "Il giorno della festa patronale gli uffici comunali sono chiusi; i servizi online restano disponibili.",
                "Il giorno della festa del santo patrono gli uffici comunali restano chiusi. I servizi online sono regolarmente disponibili.",
                "it", now.minus(Duration.ofDays(75)), now.minus(Duration.ofDays(73)), null, null, AUTHOR, List.of()));
    }

    private void attach(long noticeId, String title, String filename, String text) {
        String stored = HexFormat.of().formatHex(randomBytes()) + ".pdf";
        byte[] pdf = minimalPdf(text);
        try {
            Files.write(attachmentsDir.resolve(stored), pdf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        notices.addAttachment(noticeId, new NewAttachment(title, filename, stored, "application/pdf", pdf.length, null));
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** A one-page PDF with one line of text, so that the demo attachment opens in any viewer. */
    static byte[] minimalPdf(String text) {
        String safe = text.replaceAll("[^\\x20-\\x7E]", "?").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)");
        String stream = "BT /F1 11 Tf 50 780 Td (" + safe + ") Tj ET";
        String[] objects = {
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
                "<< /Length " + stream.length() + " >>\nstream\n" + stream + "\nendstream",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
        int[] offsets = new int[objects.length];
        for (int i = 0; i < objects.length; i++) {
            offsets[i] = pdf.length();
            pdf.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
        for (int offset : offsets) pdf.append(String.format("%010d 00000 n \n", offset));
        pdf.append("trailer\n<< /Size ").append(objects.length + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.US_ASCII);
    }
}

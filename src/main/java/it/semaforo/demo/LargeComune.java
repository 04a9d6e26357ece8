package it.semaforo.demo;

import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.notice.NoticeRepository.Imported;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeRepository.NewUpdate;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.Channel;
import it.semaforo.service.ChannelKind;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.service.ServiceCatalog.NewService;
import it.semaforo.service.ServiceState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A large comune for scale measurements: 300 services in 15 groups, 30 providers, 20,000
 * avvisi over eight years with three numbered updates each (60,000). Deterministic (fixed
 * seed), dates relative to the clock; a few dozen avvisi are in force now.
 */
public final class LargeComune {
    public static final int SERVICES = 300;
    public static final int NOTICES = 20_000;
    public static final int UPDATES_PER_NOTICE = 3;

    private static final String[] GROUPS = {"Servizi online", "Anagrafe e stato civile", "Scuola", "Tributi e pagamenti",
            "Edilizia e urbanistica", "Ambiente e rifiuti", "Mobilità e trasporti", "Servizi sociali", "Cultura e biblioteche",
            "Sport e tempo libero", "Polizia locale", "Attività produttive", "Lavori pubblici", "Cimiteri", "Protezione civile"};
    private static final String[] NOUNS = {"Prenotazione", "Pagamento", "Richiesta", "Certificato", "Iscrizione",
            "Segnalazione", "Permesso", "Rinnovo", "Consultazione", "Domanda"};
    private static final String[] PROBLEMS = {"non disponibile", "rallentato", "sospeso per manutenzione",
            "disponibile solo allo sportello", "interrotto per un guasto", "raggiungibile con difficoltà"};
    private static final String[] CAUSES = {"un guasto della rete", "un aggiornamento del software del fornitore",
            "un attacco informatico al fornitore cloud", "lavori sulla linea elettrica", "un problema della piattaforma nazionale",
            "l'alto numero di accessi", "la migrazione dei dati"};

    private final ServiceCatalog services;
    private final NoticeRepository notices;
    private final Clock clock;

    public LargeComune(ServiceCatalog services, NoticeRepository notices, Clock clock) {
        this.services = services;
        this.notices = notices;
        this.clock = clock;
    }

    public void seed() {
        Random random = new Random(20231208L);
        Instant now = clock.instant();
        List<Long> groupIds = new ArrayList<>();
        for (int g = 0; g < GROUPS.length; g++) groupIds.add(services.createGroup(GROUPS[g], g + 1));
        List<Long> providers = new ArrayList<>();
        for (int p = 0; p < 30; p++) {
            providers.add(services.createProvider("fornitore-" + (p + 1), "Fornitore " + (p + 1) + " S.p.A.", ""));
        }
        for (int p = 1; p < 30; p += 3) services.addProviderDependency(providers.get(p), providers.get(p - 1));
        List<Long> serviceIds = new ArrayList<>();
        for (int s = 0; s < SERVICES; s++) {
            String name = NOUNS[s % NOUNS.length] + " " + GROUPS[s % GROUPS.length].toLowerCase() + " " + (s + 1);
            serviceIds.add(services.createService(new NewService("servizio-" + (s + 1), name, "Servizio numero " + (s + 1) + ".",
                    groupIds.get(s % GROUPS.length), s,
                    List.of(new Channel(ChannelKind.ONLINE, "Portale", "https://servizi.example/" + (s + 1), ""),
                            new Channel(ChannelKind.OFFICE, "Sportello", "Via Roma " + (s + 1), "lun–ven 9–12")),
                    Set.of(providers.get(s % providers.size())))));
        }
        NoticeKind[] kinds = NoticeKind.values();
        ServiceState[] states = {ServiceState.DEGRADED, ServiceState.ALTERNATIVE, ServiceState.LIMITED, ServiceState.SUSPENDED};
        List<Imported> batch = new ArrayList<>();
        long span = Duration.ofDays(8 * 365).toMillis();
        for (int i = 0; i < NOTICES; i++) {
            // spread over eight years, newest last; the last 40 are still in force
            boolean open = i >= NOTICES - 40;
            Instant published = now.minusMillis(open ? random.nextInt(10 * 24 * 3600 * 1000)
                    : span - (long) ((double) i / NOTICES * span) + random.nextInt(3600 * 1000));
            long service = serviceIds.get(random.nextInt(serviceIds.size()));
            NoticeKind kind = kinds[i % kinds.length];
            String problem = PROBLEMS[random.nextInt(PROBLEMS.length)];
            String cause = CAUSES[random.nextInt(CAUSES.length)];
            String title = "Servizio " + (service) + " " + problem + " (" + (i + 1) + ")";
            Impact impact = random.nextInt(5) == 0
                    ? Impact.onProvider(providers.get(random.nextInt(providers.size())), states[random.nextInt(states.length)], "Per " + cause)
                    : Impact.onService(service, states[random.nextInt(states.length)], "Per " + cause);
            NewNotice n = new NewNotice(kind, NoticeStatus.PUBLISHED, title, "Il servizio è " + problem + " per " + cause + ".",
                    "Si comunica che il servizio è " + problem + " per " + cause + ". Ci scusiamo per il disagio.\n\n"
                            + "| Servizio | Canale alternativo |\n| --- | --- |\n| Servizio " + service + " | sportello |",
                    "it", published, published.plus(Duration.ofDays(open ? 30 : 3)), null, null, "Generatore",
                    List.of(impact));
            List<NewUpdate> updates = new ArrayList<>();
            for (int u = 1; u <= UPDATES_PER_NOTICE; u++) {
                Instant at = published.plus(Duration.ofHours(u * 2L));
                boolean closes = !open && u == UPDATES_PER_NOTICE;
                updates.add(new NewUpdate("Aggiornamento " + u + ": " + (closes ? "il servizio è stato ripristinato." : "le verifiche proseguono."),
                        List.of(), closes, "Generatore", at.isAfter(now) ? now : at));
            }
            batch.add(new Imported(n, updates));
            if (batch.size() == 2000) {
                notices.importAll(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) notices.importAll(batch);
    }
}

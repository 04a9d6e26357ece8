package it.semaforo.admin;

import it.semaforo.service.Catalog;
import it.semaforo.service.Channel;
import it.semaforo.service.ChannelKind;
import it.semaforo.service.Provider;
import it.semaforo.service.ProviderInput;
import it.semaforo.service.ServiceInput;
import it.semaforo.service.Service;
import it.semaforo.text.Slug;
import it.semaforo.render.Messages;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The forms of groups, services and providers: what an administrator may type, checked and
 * turned into the input of service.CatalogDesk. A slug is chosen once: it is in public addresses.
 */
public final class CatalogForms {
    public static final int NAME_MAX = 150;
    public static final int DESCRIPTION_MAX = 1000;
    public static final int CHANNEL_LABEL_MAX = 150;
    public static final int CHANNEL_VALUE_MAX = 300;
    public static final int CHANNEL_HOURS_MAX = 200;
    /** Empty channel rows offered below the existing ones. */
    public static final int SPARE_CHANNEL_ROWS = 3;
    /** Rows read from a submitted form; more channels than this for one service is not a real case. */
    private static final int MAX_CHANNEL_ROWS = 50;
    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]{4,30}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final Messages msg;

    public CatalogForms(Messages msg) {
        this.msg = msg;
    }

    // ---- forms --------------------------------------------------------------------------

    public Optional<String> groupName(Form f, Catalog catalog, Long groupId) {
        String name = NoticeForms.oneLine(f.text("name"));
        if (name.isEmpty()) f.reject("name", msg.t("admin.error.name.required"));
        else if (NoticeForms.length(name) > NAME_MAX) f.reject("name", msg.t("admin.error.name.long", NAME_MAX));
        else if (catalog.groups().stream().anyMatch(g -> g.name().equalsIgnoreCase(name) && !Long.valueOf(g.id()).equals(groupId))) {
            f.reject("name", msg.t("admin.error.group.taken"));
        }
        return f.hasErrors() ? Optional.empty() : Optional.of(name);
    }

    /** creating: the slug is read (or made from the name); editing: it stays what it is. */
    public Optional<ServiceInput> service(Form f, Catalog catalog, Service editing) {
        String name = name(f);
        String description = description(f);
        String slug = editing != null ? editing.slug() : slug(f, name, s -> catalog.service(s).isPresent());
        Long groupId = null;
        try {
            long id = Long.parseLong(f.text("group"));
            if (catalog.groups().stream().anyMatch(g -> g.id() == id)) groupId = id;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        if (groupId == null) f.reject("group", msg.t("admin.error.group.required"));
        List<Channel> channels = channels(f);
        Set<Long> providers = checkedIds(f, "provider_", catalog.providers().stream().map(Provider::id).toList(), "providers",
                "admin.error.provider.unknown");
        if (f.hasErrors()) return Optional.empty();
        return Optional.of(new ServiceInput(slug, name, description, groupId, channels, providers));
    }

    public Optional<ProviderInput> provider(Form f, Catalog catalog, Provider editing) {
        String name = name(f);
        String description = description(f);
        String slug = editing != null ? editing.slug()
                : slug(f, name, s -> catalog.providers().stream().anyMatch(p -> p.slug().equals(s)));
        Set<Long> dependsOn = checkedIds(f, "depends_on_", catalog.providers().stream().map(Provider::id).toList(),
                "depends_on", "admin.error.provider.unknown");
        if (editing != null) {
            for (long d : dependsOn) {
                if (d == editing.id() || catalog.reachableProviders(Set.of(d)).contains(editing.id())) {
                    f.reject("depends_on", msg.t("admin.error.provider.cycle",
                            catalog.provider(d).map(Provider::name).orElse(String.valueOf(d))));
                }
            }
        }
        if (f.hasErrors()) return Optional.empty();
        return Optional.of(new ProviderInput(slug, name, description, dependsOn));
    }

    private String name(Form f) {
        String name = NoticeForms.oneLine(f.text("name"));
        if (name.isEmpty()) f.reject("name", msg.t("admin.error.name.required"));
        else if (NoticeForms.length(name) > NAME_MAX) f.reject("name", msg.t("admin.error.name.long", NAME_MAX));
        return name;
    }

    private String description(Form f) {
        String d = NoticeForms.oneLine(f.text("description"));
        if (NoticeForms.length(d) > DESCRIPTION_MAX) f.reject("description", msg.t("admin.error.description.long", DESCRIPTION_MAX));
        return d;
    }

    private String slug(Form f, String name, java.util.function.Predicate<String> taken) {
        String typed = f.text("slug");
        String slug = typed.isEmpty() ? Slug.of(name, "") : typed;
        if (slug.isEmpty() && !name.isEmpty()) f.reject("slug", msg.t("admin.error.slug.invalid"));
        else if (!slug.isEmpty() && (slug.length() > 80 || !SLUG.matcher(slug).matches())) f.reject("slug", msg.t("admin.error.slug.invalid"));
        else if (!slug.isEmpty() && taken.test(slug)) f.reject("slug", msg.t("admin.error.slug.taken", slug));
        return slug;
    }

    /** Channel rows channel_kind_N, channel_label_N, channel_value_N, channel_hours_N; blank rows are skipped. */
    private List<Channel> channels(Form f) {
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < MAX_CHANNEL_ROWS; i++) {
            String n = "_" + i;
            String label = NoticeForms.oneLine(f.text("channel_label" + n));
            String value = NoticeForms.oneLine(f.text("channel_value" + n));
            String hours = NoticeForms.oneLine(f.text("channel_hours" + n));
            if (label.isEmpty() && value.isEmpty() && hours.isEmpty()) continue;
            ChannelKind kind;
            try {
                kind = ChannelKind.of(f.text("channel_kind" + n));
            } catch (IllegalArgumentException e) {
                f.reject("channel_kind" + n, msg.t("admin.error.channel.kind"));
                continue;
            }
            if (label.isEmpty()) f.reject("channel_label" + n, msg.t("admin.error.channel.label"));
            else if (NoticeForms.length(label) > CHANNEL_LABEL_MAX) f.reject("channel_label" + n, msg.t("admin.error.channel.long", CHANNEL_LABEL_MAX));
            if (value.isEmpty()) f.reject("channel_value" + n, msg.t("admin.error.channel.value"));
            else if (NoticeForms.length(value) > CHANNEL_VALUE_MAX) f.reject("channel_value" + n, msg.t("admin.error.channel.long", CHANNEL_VALUE_MAX));
            else if (kind == ChannelKind.ONLINE && !(value.startsWith("https://") || value.startsWith("http://"))) {
                f.reject("channel_value" + n, msg.t("admin.error.channel.url"));
            } else if (kind == ChannelKind.EMAIL && !EMAIL.matcher(value).matches()) {
                f.reject("channel_value" + n, msg.t("admin.error.channel.email"));
            } else if (kind == ChannelKind.PHONE && !PHONE.matcher(value).matches()) {
                f.reject("channel_value" + n, msg.t("admin.error.channel.phone"));
            }
            if (NoticeForms.length(hours) > CHANNEL_HOURS_MAX) f.reject("channel_hours" + n, msg.t("admin.error.channel.long", CHANNEL_HOURS_MAX));
            channels.add(new Channel(kind, label, value, hours));
        }
        return channels;
    }

    /** Ticked checkboxes named prefix + id; an id that does not exist is an error, not ignored. */
    private Set<Long> checkedIds(Form f, String prefix, List<Long> known, String field, String unknownKey) {
        Set<Long> ids = new LinkedHashSet<>();
        for (String name : f.values().keySet()) {
            if (!name.startsWith(prefix) || !f.checked(name)) continue;
            String rest = name.substring(prefix.length());
            long id;
            try {
                id = Long.parseLong(rest);
            } catch (NumberFormatException e) {
                id = -1;
            }
            if (!known.contains(id)) f.reject(field, msg.t(unknownKey, rest));
            else ids.add(id);
        }
        return ids;
    }
}

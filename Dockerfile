# Semaforo's image: a JRE, the jar, a non-root user, the data in a volume.
#
#   docker build -t semaforo .                     compiles the jar with Maven, runs it on Temurin
#   docker build --target prebuilt -t semaforo .   copies target/semaforo.jar (mvn package first)
#   docker run -p 7070:7070 -v semaforo-data:/app/data semaforo
#
# The base images are build arguments, so that a machine without a registry builds from its
# own (container/check.sh makes one from Debian packages and builds --target prebuilt).
# Names are fully qualified: Podman does not guess a registry for a short name.
#   BUILD_IMAGE    Maven with JDK 17, for the stage that compiles the jar
#   RUNTIME_IMAGE  a Java 17 runtime with bash, groupadd and useradd (Debian or Ubuntu based)
#   APP_UID        uid and gid of the user that runs the server (10001)
# The two ways to the jar are two final stages rather than a stage named by an argument:
# Buildah 1.28 skips a stage named only by an argument's default value as unused.
ARG BUILD_IMAGE=docker.io/library/maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=docker.io/library/eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY config config
COPY static static
# the class-data archive is made below, for the runtime image's own JRE
RUN mvn -B -q package -DskipTests -Dcds.skip

# Everything but the jar, shared by both final stages.
FROM ${RUNTIME_IMAGE} AS runtime
# The program belongs to root and cannot be changed by the user that runs it; that user owns
# only the data directory. A fixed uid, whatever the base image, so that a host directory
# mounted as the data directory can be given to it (chown 10001:10001 DIR).
ARG APP_UID=10001
RUN groupadd --gid "$APP_UID" semaforo \
    && useradd --uid "$APP_UID" --gid semaforo --home-dir /app/data --no-create-home --shell /usr/sbin/nologin semaforo \
    && mkdir -p /app/config /app/data && chown semaforo:semaforo /app/data && chmod 750 /app/data
WORKDIR /app
COPY config/semaforo.properties /app/config/semaforo.properties
COPY container/health.sh /app/health.sh
# A class-data archive from a training run (the server answers a page of each kind once):
# start to first answer drops by about a third. Tied to the JDK and the jar, so each final
# stage makes it as root (the user cannot change it) with this script.
COPY bench/cds.sh /app/cds.sh
LABEL org.opencontainers.image.title="Semaforo" \
      org.opencontainers.image.description="Stato dei servizi del Comune"
ENV SEMAFORO_DATA_DIR=/app/data
VOLUME ["/app/data"]
EXPOSE 7070
# GET /health on SEMAFORO_PORT, in bash: a JVM started every 30 s (the `health` verb) competes
# with the server, and took more than 10 s on a loaded machine.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["bash", "/app/health.sh"]
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/semaforo.jsa", "-Xmx256m", "-jar", "/app/semaforo.jar"]
CMD ["serve"]

# --target prebuilt: the jar from the build context
FROM runtime AS prebuilt
COPY target/semaforo.jar /app/semaforo.jar
RUN bash /app/cds.sh /app/semaforo.jar /app/semaforo.jsa
USER semaforo

# The default: the jar compiled in the build stage
FROM runtime
COPY --from=build /src/target/semaforo.jar /app/semaforo.jar
RUN bash /app/cds.sh /app/semaforo.jar /app/semaforo.jsa
USER semaforo

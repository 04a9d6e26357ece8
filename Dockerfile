# Semaforo's image: a JRE, the jar, a non-root user, the data in a volume.
#
#   docker build -t semaforo .                     builds the jar with Maven, runs it on Temurin
#   docker run -p 7070:7070 -v semaforo-data:/app/data semaforo
#
# The base images are build arguments, so that a machine without a registry builds from its
# own (container/check.sh makes one from Debian packages and builds with JAR_FROM=prebuilt).
# Names are fully qualified: Podman does not guess a registry for a short name.
#   BUILD_IMAGE    Maven with JDK 17, for the stage that compiles the jar
#   RUNTIME_IMAGE  a Java 17 runtime with bash, groupadd and useradd (Debian or Ubuntu based)
#   JAR_FROM       build: compile in BUILD_IMAGE; prebuilt: copy target/semaforo.jar from the
#                  build context (made by `mvn package` beforehand)
#   APP_UID        uid and gid of the user that runs the server (10001)
ARG BUILD_IMAGE=docker.io/library/maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=docker.io/library/eclipse-temurin:17-jre
ARG JAR_FROM=build

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY config config
COPY static static
# the class-data archive is made below, for the runtime image's own JRE
RUN mvn -B -q package -DskipTests -Dcds.skip

FROM scratch AS prebuilt
LABEL org.opencontainers.image.title="Semaforo"
COPY target/semaforo.jar /src/target/semaforo.jar

# the stage named by JAR_FROM: only it and what it needs are built
FROM ${JAR_FROM} AS jar

FROM ${RUNTIME_IMAGE}
# The program belongs to root and cannot be changed by the user that runs it; that user owns
# only the data directory. A fixed uid, whatever the base image, so that a host directory
# mounted as the data directory can be given to it (chown 10001:10001 DIR).
ARG APP_UID=10001
RUN groupadd --gid "$APP_UID" semaforo \
    && useradd --uid "$APP_UID" --gid semaforo --home-dir /app/data --no-create-home --shell /usr/sbin/nologin semaforo \
    && mkdir -p /app/config /app/data && chown semaforo:semaforo /app/data && chmod 750 /app/data
WORKDIR /app
COPY --from=jar /src/target/semaforo.jar /app/semaforo.jar
COPY config/semaforo.properties /app/config/semaforo.properties
COPY bench/cds.sh /tmp/cds.sh
# A class-data archive from a training run (the server answers a page of each kind once):
# start to first answer drops by about a third. Tied to this JDK and jar, so made here.
RUN bash /tmp/cds.sh /app/semaforo.jar /app/semaforo.jsa && rm /tmp/cds.sh
COPY container/health.sh /app/health.sh
LABEL org.opencontainers.image.title="Semaforo" \
      org.opencontainers.image.description="Stato dei servizi del Comune"
USER semaforo
ENV SEMAFORO_DATA_DIR=/app/data
VOLUME ["/app/data"]
EXPOSE 7070
# GET /health on SEMAFORO_PORT, in bash: a JVM started every 30 s (the `health` verb) competes
# with the server, and took more than 10 s on a loaded machine.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["bash", "/app/health.sh"]
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/semaforo.jsa", "-Xmx256m", "-jar", "/app/semaforo.jar"]
CMD ["serve"]

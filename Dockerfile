# The example server (roomcast-example) as a container image, for Cloud Run or anything that sets
# PORT. Build from the repository root:
#
#   docker build -t roomcast-example .
#   gcloud run deploy roomcast --source . --region=REGION ...   (Cloud Build builds this file;
#                                                  the full command is in docs/cloud-run.md)
#
# Without a Docker daemon, Jib builds the same image from Maven (docs/cloud-run.md):
#   ./mvnw -B -pl roomcast-example -am package jib:build -DskipTests \
#     -Dimage=REGION-docker.pkg.dev/PROJECT/REPO/roomcast-example
#
# roomcast-example's ContainerImageIT reads this file and checks it against the Jib image: same
# JVM flags, port, PORT variable and a non-root user.

# Build stage: the shaded jar, with the Maven wrapper (it fetches Maven itself).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# -Dquick: no tests, javadoc, sources, image check or format check (the root POM's profile).
RUN ./mvnw -B -q -Dquick -pl roomcast-example -am package

# Runtime stage: a JRE and one jar.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 roomcast \
 && useradd --system --uid 10001 --gid roomcast --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin roomcast
COPY --from=build /src/roomcast-example/target/roomcast-example.jar /app/roomcast-example.jar
# Cloud Run sets PORT itself; 8080 is the default elsewhere.
ENV PORT=8080
EXPOSE 8080
USER 10001:10001
# Exec form: java is PID 1 and gets SIGTERM, so the drain (1012 to every client) runs on deploys.
# The flags of docs/operations.md for a 512 MB container (the benchmarks run with them): heap at 70%
# of the container's memory (about 358 MiB of 512 MiB) leaves room for threads, class metadata and
# socket buffers; a 32 MB young generation keeps resident memory low; the serial collector has the
# least overhead on 1-2 vCPUs; 256 KB thread stacks. The JVM reads the memory limit from cgroups, so
# no -XX:MaxRAM. On OutOfMemoryError exit so the platform restarts the instance.
# More flags: set JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-Xmn32m", "-XX:+UseSerialGC", "-Xss256k", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/roomcast-example.jar"]

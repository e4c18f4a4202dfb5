package io.spikeforge.tracking;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a run's artifacts go, as the {@code artifact_uri} the server gave the run says
 * (mlflow/server/handlers.py): a location of the server's artifact proxy, which Spikeforge uploads
 * to, or one that clients write to directly (a path, {@code file:}, {@code s3:}, {@code gs:}...),
 * which Spikeforge does not: uploading such a run's files through the proxy would put them under
 * the proxy's {@code --artifacts-destination}, where the run does not point.
 */
sealed interface ArtifactLocation {
    /** The artifact proxy's REST path, under the server's base URI. */
    String PROXY_API = "api/2.0/mlflow-artifacts/artifacts/";

    /**
     * A location behind an artifact proxy.
     *
     * @param server the proxy's server, with a trailing slash
     * @param path the run's artifact root under the proxy's destination, without slashes at either end
     */
    record Proxied(URI server, String path) implements ArtifactLocation {
        public Proxied {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * A location clients write to themselves.
     *
     * @param uri the run's artifact URI
     */
    record Direct(String uri) implements ArtifactLocation {
        public Direct {
            Objects.requireNonNull(uri, "uri");
        }

        /**
         * What the server needs for Spikeforge to store artifacts, in words for the user. An
         * experiment keeps the artifact location it was created with, so the runs of this one keep
         * this kind of location whatever the server's options are later.
         */
        String whatTheServerNeeds(String server, String experimentName, String experimentId, String runId) {
            String message = "MLflow server " + server + " gives the runs of experiment '" + experimentName
                    + "' the artifact location " + uri + ", which clients write to themselves; Spikeforge "
                    + "uploads artifacts only through the server's artifact proxy (runs whose location is "
                    + "mlflow-artifacts:). Start the server with --serve-artifacts and with the storage as "
                    + "--artifacts-destination instead of --default-artifact-root (its default root is then "
                    + "mlflow-artifacts:/), and use a new experiment name (tracking.experiment): an experiment "
                    + "keeps the artifact location it was created with";
            Optional<String> root = root(experimentId, runId);
            if (root.isPresent()) {
                message += ". If the server's --artifacts-destination is " + root.get() + " already, `spikeforge "
                        + "mlflow sync --artifacts-through-proxy` sends these artifacts through its proxy";
            }
            return message;
        }

        /**
         * The default artifact root this location was made from, {@code <root>/<experiment id>/<run
         * id>/artifacts} (the experiment was created without an artifact location of its own);
         * empty for any other location.
         */
        Optional<String> root(String experimentId, String runId) {
            String tail = "/" + experimentId + "/" + runId + "/artifacts";
            String trimmed = uri.replaceAll("/+$", "");
            return trimmed.endsWith(tail) && trimmed.length() > tail.length()
                    ? Optional.of(trimmed.substring(0, trimmed.length() - tail.length())) : Optional.empty();
        }

        /** The path under that root, which the proxy maps to the same place when its destination is the root. */
        static String pathUnderRoot(String experimentId, String runId) {
            return experimentId + "/" + runId + "/artifacts";
        }
    }

    /**
     * The location of a run's artifact URI: {@code mlflow-artifacts:/path} is behind the proxy of
     * {@code trackingServer}, {@code mlflow-artifacts://host:port/path} behind that host's, with the
     * tracking server's scheme and base path (as MLflow's {@code MlflowArtifactsRepository.resolve_uri}
     * resolves it: only the host comes from the artifact URI), and an {@code http(s)} URL of the
     * proxy's REST path behind that server; anything else is direct.
     */
    static ArtifactLocation of(String artifactUri, URI trackingServer) {
        URI uri;
        try {
            uri = new URI(artifactUri);
        } catch (URISyntaxException e) {
            return new Direct(artifactUri);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        String path = uri.getPath() == null ? "" : uri.getPath();
        switch (scheme) {
            case "mlflow-artifacts" -> {
                URI server = uri.getRawAuthority() == null ? trackingServer
                        : URI.create(trackingServer.getScheme() + "://" + uri.getRawAuthority()
                                + (trackingServer.getRawPath() == null ? "" : trackingServer.getRawPath()));
                return new Proxied(withSlash(server), trim(path));
            }
            case "http", "https" -> {
                int api = path.indexOf("/" + PROXY_API);
                if (api >= 0) {
                    URI server = URI.create(scheme + "://" + uri.getRawAuthority() + path.substring(0, api) + "/");
                    return new Proxied(server, trim(path.substring(api + PROXY_API.length() + 1)));
                }
                return new Direct(artifactUri);
            }
            default -> {
                return new Direct(artifactUri);
            }
        }
    }

    private static URI withSlash(URI server) {
        String text = server.toString();
        return text.endsWith("/") ? server : URI.create(text + "/");
    }

    private static String trim(String path) {
        return path.replaceAll("^/+", "").replaceAll("/+$", "");
    }
}

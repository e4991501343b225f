package ai.backend.local.agent;

/** A live session of that name exists with a different image. */
public class ImageMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImageMismatchException() {
        super("The session exists with a different image.");
    }
}

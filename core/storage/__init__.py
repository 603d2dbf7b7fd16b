"""Files behind one interface: the database (default) or a shared folder, chosen by STORAGE_BACKEND."""
from core.storage.files import CorruptFile, chunks, download, read_bytes, store
from core.storage.models import Backend, StoredFile, StoredFileChunk

__all__ = ["Backend", "CorruptFile", "StoredFile", "StoredFileChunk", "chunks", "download", "read_bytes", "store"]

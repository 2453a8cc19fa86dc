"""dfda: the Python SDK of the dFDA health-data platform (standard library only)."""

from ._http import RetryPolicy
from .auth import (
    DeviceAuthorization,
    FileTokenStore,
    MemoryTokenStore,
    Tokens,
    client_credentials,
    login_with_browser,
    login_with_device_code,
)
from .client import MAX_BATCH, Client, to_dataframe
from .errors import DfdaApiError, DfdaAuthError, DfdaError, DfdaNetworkError

__version__ = "0.1.0"
__all__ = [
    "MAX_BATCH",
    "Client",
    "DeviceAuthorization",
    "DfdaApiError",
    "DfdaAuthError",
    "DfdaError",
    "DfdaNetworkError",
    "FileTokenStore",
    "MemoryTokenStore",
    "RetryPolicy",
    "Tokens",
    "client_credentials",
    "login_with_browser",
    "login_with_device_code",
    "to_dataframe",
]

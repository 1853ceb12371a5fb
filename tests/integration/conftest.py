import pytest

from tests.servers import running_servers


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    yield from running_servers(tmp_path_factory.mktemp("servers"))

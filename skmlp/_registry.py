"""Look-up shared by the registries of activations and initialisers."""

__all__ = ["lookup"]


def lookup(identifier, registry, base, registry_name, expected):
    """An instance of ``base`` for an instance, a subclass or a registered name.

    Parameters
    ----------
    identifier : object
    registry : dict
        Names to subclasses of ``base``.
    base : type
    registry_name : str
        The registry's name in messages (``"ACTIVATIONS"``).
    expected : str
        What is accepted, for the error message (``"an Activation instance"``).

    Returns
    -------
    instance : base

    Raises
    ------
    ValueError
        For an unknown identifier.
    TypeError
        When the registry maps the name to something that is not a subclass.

    Examples
    --------
    >>> from skmlp._registry import lookup
    >>> lookup("a", {"a": int}, int, "NUMBERS", "an int")
    0
    """
    if isinstance(identifier, base):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, base):
        return identifier()
    if isinstance(identifier, str) and identifier in registry:
        registered = registry[identifier]
        if not (isinstance(registered, type) and issubclass(registered, base)):
            raise TypeError(
                f"{registry_name}[{identifier!r}] is {registered!r}; a registered "
                f"entry must be a subclass of {base.__name__} that can be built "
                "without arguments"
            )
        return registered()
    kind = base.__name__.lower()
    raise ValueError(
        f"Unknown {kind} {identifier!r}; expected one of {sorted(registry)} or "
        f"{expected}"
    )

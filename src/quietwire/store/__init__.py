"""quietwire.store"""
